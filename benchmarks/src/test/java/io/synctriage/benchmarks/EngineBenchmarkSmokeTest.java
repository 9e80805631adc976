package io.synctriage.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import io.synctriage.engine.internal.BoundCheck;
import io.synctriage.engine.internal.EvidenceNormalizer;
import io.synctriage.model.Answer;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.Evidence;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.TraceStep;

/**
 * The smoke-size run of P4 that the default build does (the full run is bench-engine.sh): the bundle is what the
 * benchmark claims it is and diagnoses to the expected cause, and every JMH benchmark runs and scores.
 */
public class EngineBenchmarkSmokeTest {

    @Test
    public void theRealisticBundleIsRealisticAndDiagnosesToItsCause() throws Exception {
        Evidence ev = new EvidenceNormalizer(Clock.systemUTC()).normalize(RealisticBundle.parse(RealisticBundle.bytes()));
        assertEquals("log lines", 50, ev.syncLog().size() + ev.authLog().size());
        assertEquals("peers", 20, ev.peers().size());

        Diagnosis d = RealisticBundle.engine().diagnose(ev, RealisticBundle.checks()::get);
        String why = d.cause() + " " + d.trace();
        assertEquals(why, RealisticBundle.EXPECTED_CAUSE, d.cause());
        // The whole tree was walked: a domain with failures that are not a pattern, then the Microsoft checks.
        assertEquals(why, Answer.YES, step(d, "S2_DOMAIN_PATTERN").answer());
        assertEquals(why, Answer.NO, step(d, "S3_SAME_TIME").answer());
        assertEquals(why, Answer.YES, step(d, "MS_AADSTS_CODE").answer());
        assertEquals("io.synctriage.provider.microsoft", d.checks().bundle());
    }

    @Test
    public void theSwapLoadsGoogleBundleNeedsTheGoogleChecks() throws Exception {
        Evidence ev = new EvidenceNormalizer(Clock.systemUTC())
                .normalize(RealisticBundle.parse(RealisticBundle.bytes(RealisticBundle.GOOGLE_RESOURCE)));
        Map<ProviderFamily, BoundCheck> all = RealisticBundle.checks();
        Diagnosis with = RealisticBundle.engine().diagnose(ev, all::get);
        assertEquals(with.trace().toString(), RealisticBundle.GOOGLE_EXPECTED_CAUSE, with.cause());
        assertEquals("io.synctriage.provider.google", with.checks().bundle());

        // while the Google feature is uninstalled the answer changes, but it is still an answer
        all.remove(ProviderFamily.GOOGLE);
        Diagnosis without = RealisticBundle.engine().diagnose(ev, all::get);
        assertNotEquals(RealisticBundle.GOOGLE_EXPECTED_CAUSE, without.cause());
    }

    @Test
    public void everyBenchmarkRunsAndScores() throws Exception {
        Options options = new OptionsBuilder()
                .include(EngineBenchmark.class.getName() + "\\.")
                .forks(0) // in this JVM: a smoke run checks that it works, not how fast
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(200))
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Set<String> ran = new TreeSet<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            ran.add(name.substring(name.lastIndexOf('.') + 1));
            double score = r.getPrimaryResult().getScore();
            assertTrue(name + " scored " + score, score > 0 && !Double.isNaN(score));
        }
        assertEquals(Set.of("diagnose", "normalizeAndDiagnose", "parseDiagnoseWrite"), ran);
    }

    private static TraceStep step(Diagnosis d, String id) {
        return d.trace().stream().filter(t -> t.step().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + id + " in " + d.trace()));
    }
}

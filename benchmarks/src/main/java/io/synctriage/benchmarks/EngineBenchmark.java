package io.synctriage.benchmarks;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import io.synctriage.engine.internal.BoundCheck;
import io.synctriage.engine.internal.EvidenceNormalizer;
import io.synctriage.engine.internal.TriageEngine;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.Evidence;
import io.synctriage.model.InvalidEvidenceException;
import io.synctriage.model.ProviderFamily;

/**
 * P4: one diagnosis of the {@link RealisticBundle}, single-threaded, by the engine alone (no OSGi, no HTTP).
 *
 * <ul>
 *   <li>{@link #normalizeAndDiagnose} — <b>the P4 figure</b>: what the engine bundle does for every
 *       {@code POST /api/v1/diagnoses} ({@code Diagnoser.diagnose(Map)}): normalise the parsed bundle, then
 *       walk the decision tree with the provider checks.</li>
 *   <li>{@link #diagnose} — the decision tree alone, on evidence normalised once.</li>
 *   <li>{@link #parseDiagnoseWrite} — everything the API does for a request except HTTP and authentication:
 *       JSON bytes in, diagnosis JSON bytes out (with a writer configured like the API's), to tell the
 *       engine's share of a P1 request from the JSON's.</li>
 * </ul>
 *
 * Run with {@code benchmarks/bench-engine.sh} (which adds {@code -prof gc} for the bytes allocated per
 * diagnosis); the annotations below are the full-size defaults it overrides for a smoke run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class EngineBenchmark {

    private TriageEngine engine;
    private Function<ProviderFamily, BoundCheck> checks;
    private EvidenceNormalizer normalizer;
    private byte[] json;
    private Map<String, Object> parsed;
    private Evidence evidence;
    private ObjectWriter diagnosisWriter;

    @Setup
    public void setUp() throws InvalidEvidenceException {
        engine = RealisticBundle.engine();
        // An immutable map read through a method reference, as DiagnoserComponent.diagnose does.
        checks = Map.copyOf(RealisticBundle.checks())::get;
        normalizer = new EvidenceNormalizer(Clock.systemUTC());
        json = RealisticBundle.bytes();
        parsed = RealisticBundle.parse(json);
        evidence = normalizer.normalize(parsed);
        diagnosisWriter = apiLikeWriter();
        // Every path must reach the expected cause before anything is timed.
        RealisticBundle.requireExpected(diagnose());
        RealisticBundle.requireExpected(normalizeAndDiagnose());
        Object written = RealisticBundle.parse(parseDiagnoseWrite()).get("cause");
        if (!RealisticBundle.EXPECTED_CAUSE.name().equals(written)) {
            throw new IllegalStateException("the written diagnosis says cause " + written);
        }
    }

    @Benchmark
    public Diagnosis normalizeAndDiagnose() throws InvalidEvidenceException {
        return engine.diagnose(normalizer.normalize(parsed), checks);
    }

    @Benchmark
    public Diagnosis diagnose() {
        return engine.diagnose(evidence, checks);
    }

    @Benchmark
    public byte[] parseDiagnoseWrite() throws InvalidEvidenceException {
        try {
            Diagnosis d = engine.diagnose(normalizer.normalize(RealisticBundle.parse(json)), checks);
            return diagnosisWriter.writeValueAsBytes(d);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The API's diagnosis writer settings (bundles/http JsonMapping.MAPPER: snake_case, enums by toString,
     * Instants as ISO-8601 strings, nulls written). A copy, not the class itself: JsonMapping is package-private
     * in the http bundle, and only the amount of work matters here, not the exact bytes.
     */
    private static ObjectWriter apiLikeWriter() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .serializationInclusion(JsonInclude.Include.ALWAYS)
                .addModule(new SimpleModule("bench-time").addSerializer(Instant.class, new InstantAsIso()))
                .build()
                .writerFor(Diagnosis.class);
    }

    private static final class InstantAsIso extends StdSerializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantAsIso() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(DateTimeFormatter.ISO_INSTANT.format(value));
        }
    }
}

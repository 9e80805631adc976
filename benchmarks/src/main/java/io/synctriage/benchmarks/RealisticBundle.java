package io.synctriage.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.synctriage.engine.internal.BoundCheck;
import io.synctriage.engine.internal.EngineSettings;
import io.synctriage.engine.internal.TriageEngine;
import io.synctriage.model.Cause;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.ProviderFamily;
import io.synctriage.provider.eas.internal.EasCheck;
import io.synctriage.provider.google.internal.GoogleCheck;
import io.synctriage.provider.imap.internal.ImapCheck;
import io.synctriage.provider.microsoft.internal.MicrosoftCheck;

/**
 * The realistic evidence bundle of the P1 (HTTP) and P4 (engine) benchmarks, and the engine wired the way the
 * distribution wires it.
 *
 * <p>The bundle ({@value #RESOURCE}, ~21 KB): a Microsoft 365 account that went invalid, 7 API-log calls of the
 * application (reads only), 40 sync-log and 10 auth-log lines over the 30-day look-back window (routine syncs
 * and token refreshes, a throttling warning, a skipped item, and one AADSTS50076 just before the state change),
 * and 20 peers with events: 14 of the same domain (3 of them failed on unrelated days: a domain with failures
 * that are neither same-moment nor recurring) and 6 of other Microsoft tenants. Every step of the decision tree
 * has real work to do, and the answer is {@link #EXPECTED_CAUSE} from the Microsoft checks; a benchmark that
 * measured an error path or an early exit would not find it.
 *
 * <p>The engine classes live in {@code io.synctriage.engine.internal}, but {@link TriageEngine},
 * {@link EngineSettings} and {@link BoundCheck} are public (the source-import tests use them the same way), so
 * this module needs no split package.
 */
public final class RealisticBundle {

    /** Class-path resource of the bundle; bench-http.sh posts the same file. */
    public static final String RESOURCE = "/io/synctriage/benchmarks/realistic-bundle.json";

    /** MFA required by a new Conditional Access policy (AADSTS50076 on the auth log). */
    public static final Cause EXPECTED_CAUSE = Cause.MFA_REQUIRED;

    /**
     * A small Google Workspace bundle whose cause only the Google checks name (admin_policy_enforced): the P6
     * load (bench-swap.sh) mixes it in, so that diagnoses use the provider bundle that is being swapped.
     */
    public static final String GOOGLE_RESOURCE = "/io/synctriage/benchmarks/google-bundle.json";
    public static final Cause GOOGLE_EXPECTED_CAUSE = Cause.GOOGLE_API_ACCESS_RESTRICTED;

    /**
     * Reads a body into plain Java values as the REST API does (JsonMapping.EVIDENCE_READER: duplicate keys and
     * trailing tokens rejected), the form the engine's normaliser takes.
     */
    public static final ObjectReader EVIDENCE_READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .readerFor(Object.class);

    private RealisticBundle() {
    }

    /** The bundle's bytes as stored (pretty-printed JSON). */
    public static byte[] bytes() {
        return bytes(RESOURCE);
    }

    /** The bytes of a class-path resource of this module. */
    public static byte[] bytes(String resource) {
        try (InputStream in = RealisticBundle.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bundle parsed into a JSON object (a Map), as the API hands it to the engine. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(byte[] json) {
        try {
            return (Map<String, Object>) EVIDENCE_READER.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The engine with the default settings of etc/io.synctriage.engine.cfg. */
    public static TriageEngine engine() {
        return new TriageEngine(EngineSettings.defaults());
    }

    /**
     * The four provider checks of the distribution, by family: what DiagnoserComponent hands the engine
     * ({@code byFamily::get}) when every provider feature is installed.
     */
    public static Map<ProviderFamily, BoundCheck> checks() {
        Map<ProviderFamily, BoundCheck> checks = new EnumMap<>(ProviderFamily.class);
        checks.put(ProviderFamily.MICROSOFT, new BoundCheck(new MicrosoftCheck(), "io.synctriage.provider.microsoft", "bench"));
        checks.put(ProviderFamily.GOOGLE, new BoundCheck(new GoogleCheck(), "io.synctriage.provider.google", "bench"));
        checks.put(ProviderFamily.IMAP, new BoundCheck(new ImapCheck(), "io.synctriage.provider.imap", "bench"));
        checks.put(ProviderFamily.EAS, new BoundCheck(new EasCheck(), "io.synctriage.provider.eas", "bench"));
        return checks;
    }

    /** Fails unless {@code d} is the diagnosis the bundle must get: the benchmark measures a real diagnosis. */
    public static Diagnosis requireExpected(Diagnosis d) {
        if (d == null || d.cause() != EXPECTED_CAUSE) {
            throw new IllegalStateException("the realistic bundle diagnosed as " + (d == null ? null : d.cause())
                    + ", expected " + EXPECTED_CAUSE + (d == null ? "" : "; trace: " + d.trace()));
        }
        return d;
    }
}

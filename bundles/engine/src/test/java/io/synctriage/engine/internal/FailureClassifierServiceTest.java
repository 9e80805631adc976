package io.synctriage.engine.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

import io.synctriage.engine.internal.PrecedenceTest.ScriptedCheck;
import io.synctriage.model.AuthType;
import io.synctriage.model.Cause;
import io.synctriage.model.FailureClassifier;
import io.synctriage.model.Peer;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.Subject;
import io.synctriage.model.spi.DiagnosisMemo;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.Match;
import io.synctriage.model.spi.ProviderCheck;
import io.synctriage.model.spi.ProviderReport;

/**
 * The {@link FailureClassifier} service of the engine component: the same answer a diagnosis gets
 * for a peer's failure, with the provider checks bound at the moment of the call.
 */
public class FailureClassifierServiceTest {

    private static final Match REVOKED = new Match("AADSTS50173", Cause.ADMIN_REVOKED_SESSIONS, ErrorKind.POLICY, true, 0.9, List.of());
    /** A provider signature that names a cause but leaves the error kind to the generic signatures. */
    private static final Match KINDLESS = new Match("MS notice", Cause.MAILBOX_UNAVAILABLE, null, true, 0.6, List.of());

    private static final Subject BO = peer("p1", "bo@contoso.com", "office365", ProviderFamily.MICROSOFT);

    private static Peer peer(String id, String email, String provider, ProviderFamily family) {
        return new Peer(id, email, provider, family, family == null ? null : family.defaultAuth(), "invalid",
                Instant.parse("2026-06-01T00:00:00Z"), List.of());
    }

    private static ScriptedCheck microsoft() {
        return new ScriptedCheck(ProviderFamily.MICROSOFT, Map.of("50173", REVOKED, "notice", KINDLESS), ctx -> ProviderReport.empty());
    }

    /** The component as DS builds it: default configuration (the annotation's defaults). */
    private static DiagnoserComponent component() {
        EngineConfiguration defaults = (EngineConfiguration) Proxy.newProxyInstance(EngineConfiguration.class.getClassLoader(),
                new Class<?>[] {EngineConfiguration.class}, (proxy, method, args) -> method.getDefaultValue());
        return new DiagnoserComponent(defaults);
    }

    /** A service reference as the framework hands it to a dynamic reference: ranking, family, bundle. */
    @SuppressWarnings("unchecked")
    private static ServiceReference<ProviderCheck> reference(long serviceId, String family) {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getSymbolicName": return "io.synctriage.provider.test";
                        case "getVersion": return new Version(1, 0, 0);
                        case "hashCode": return System.identityHashCode(proxy);
                        case "equals": return proxy == args[0];
                        default: throw new UnsupportedOperationException(method.getName());
                    }
                });
        return (ServiceReference<ProviderCheck>) Proxy.newProxyInstance(ServiceReference.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getBundle": return bundle;
                        case "getProperty": return ProviderCheck.FAMILY_PROPERTY.equals(args[0]) ? family : null;
                        // the framework's order: higher id ranks lower; all rankings are 0 here
                        case "compareTo": return Long.compare(serviceIdOf(args[0]), serviceId);
                        case "hashCode": return Long.hashCode(serviceId);
                        case "equals": return proxy == args[0];
                        case "toString": return "ref#" + serviceId;
                        default: throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private static long serviceIdOf(Object ref) {
        return Long.parseLong(ref.toString().substring("ref#".length()));
    }

    @Test
    public void genericSignaturesAnswerWithoutAnyProviderBundle() {
        FailureClassifier classifier = component();
        List<Match> outage = classifier.classify(null, "HTTP 503 Service Unavailable", BO);
        assertEquals(1, outage.size());
        Match m = outage.get(0);
        assertEquals(ErrorKind.SERVER, m.kind());
        assertEquals("HTTP 5xx", m.signature());
        assertNull(m.cause());
        assertFalse(m.specific());
        assertEquals(ErrorKind.NETWORK, classifier.classify("", "connection timed out after 30s", BO).get(0).kind());
        assertEquals(ErrorKind.CLIENT_CREDENTIALS, classifier.classify("invalid_client", null, BO).get(0).kind());
        assertTrue(classifier.classify(null, "IDLE INBOX ok", BO).isEmpty());
        assertTrue(classifier.classify(null, null, BO).isEmpty());
        assertTrue(classifier.classify("", "", BO).isEmpty());
        // A subject without a family (or none at all) still gets the generic signatures.
        assertEquals(ErrorKind.AUTH, classifier.classify("invalid_grant", null, peer("x", "a@b.c", null, null)).get(0).kind());
        assertEquals(ErrorKind.SERVER, classifier.classify(null, "status: 500", null).get(0).kind());
    }

    @Test
    public void theProviderCheckBoundNowComesFirstAndFollowsBindAndUnbind() {
        DiagnoserComponent classifier = component();
        ServiceReference<ProviderCheck> ref = reference(7, "microsoft");
        String text = "AADSTS50173: The provided grant has expired due to it being revoked";

        assertEquals("OAuth invalid_grant", classifier.classify("invalid_grant", text, BO).get(0).signature());
        classifier.addCheck(ref, microsoft());
        List<Match> bound = classifier.classify("invalid_grant", text, BO);
        assertEquals(List.of(REVOKED), bound); // the provider told the kind: no generic fallback appended
        // Only the subject's family is asked: an IMAP peer gets the generic answer.
        Subject imap = peer("p2", "cy@contoso.com", "imap", ProviderFamily.IMAP);
        assertEquals("OAuth invalid_grant", classifier.classify("invalid_grant", text, imap).get(0).signature());
        classifier.removeCheck(ref);
        assertEquals("OAuth invalid_grant", classifier.classify("invalid_grant", text, BO).get(0).signature());
    }

    @Test
    public void aProviderMatchWithoutKindIsFollowedByTheGenericSignatureThatGivesIt() {
        DiagnoserComponent classifier = component();
        classifier.addCheck(reference(1, "microsoft"), microsoft());
        List<Match> matches = classifier.classify(null, "MS notice: HTTP 503 Service Unavailable", BO);
        assertEquals(2, matches.size());
        assertSame(KINDLESS, matches.get(0));
        assertEquals(ErrorKind.SERVER, matches.get(1).kind());
        assertNull(matches.get(1).cause());
    }

    @Test
    public void itAnswersExactlyAsADiagnosisClassifiesAPeersFailure() {
        DiagnoserComponent service = component();
        ScriptedCheck check = microsoft();
        service.addCheck(reference(1, "microsoft"), check);
        BoundCheck bound = new BoundCheck(check, "io.synctriage.provider.test", "1.0.0");
        Classifier diagnosis = new Classifier(GenericSignals.load(), f -> f == ProviderFamily.MICROSOFT ? bound : null,
                new DiagnosisMemo());
        List<String[]> texts = List.of(new String[] {"invalid_grant", "AADSTS50173: revoked"},
                new String[] {null, "MS notice: HTTP 503 Service Unavailable"}, new String[] {null, "read timeout"},
                new String[] {"invalid_client", "AADSTS7000222: secret expired"}, new String[] {null, "fetched 20 messages"},
                new String[] {"auth_error", ""});
        for (String[] t : texts) {
            Classifier.Classified expected = diagnosis.classify(t[0], t[1], BO);
            List<Match> actual = service.classify(t[0], t[1], BO);
            String why = t[0] + " / " + t[1];
            // the diagnosis' provider matches, in order, then the kind it falls back to
            assertEquals(why, expected.matches(), actual.subList(0, expected.matches().size()));
            ErrorKind kind = actual.stream().map(Match::kind).filter(k -> k != null).findFirst().orElse(null);
            assertEquals(why, expected.kind(), kind);
            assertEquals(why, expected.label(), actual.stream().filter(m -> m.kind() != null).map(Match::signature)
                    .findFirst().orElse(null));
        }
    }

    @Test
    public void aThrowingProviderCheckDegradesToTheGenericSignatures() {
        DiagnoserComponent classifier = component();
        ScriptedCheck broken = new ScriptedCheck(ProviderFamily.MICROSOFT, Map.of(), ctx -> ProviderReport.empty()) {
            @Override
            public List<Match> classify(String error, String message, Subject subject) {
                throw new IllegalStateException("tables unloaded");
            }
        };
        classifier.addCheck(reference(1, "microsoft"), broken);
        for (int i = 0; i < 3; i++) {
            assertEquals(ErrorKind.AUTH, classifier.classify("invalid_grant", "AADSTS50173", BO).get(0).kind());
        }
        // A check returning null elements is as broken: rejected, not passed on.
        ScriptedCheck nulls = new ScriptedCheck(ProviderFamily.MICROSOFT, Map.of(), ctx -> ProviderReport.empty()) {
            @Override
            public List<Match> classify(String error, String message, Subject subject) {
                List<Match> out = new ArrayList<>();
                out.add(null);
                return out;
            }
        };
        classifier.addCheck(reference(0, "microsoft"), nulls); // lower id: ranks higher
        assertEquals(List.of(ErrorKind.AUTH), classifier.classify("invalid_grant", "x", BO).stream().map(Match::kind).toList());
    }

    @Test
    public void concurrentCallsWhileChecksComeAndGoAlwaysGetOneOfTheTwoAnswers() throws Exception {
        DiagnoserComponent classifier = component();
        ServiceReference<ProviderCheck> ref = reference(1, "microsoft");
        ScriptedCheck check = microsoft();
        List<Match> withCheck = List.of(REVOKED);
        String text = "AADSTS50173: revoked";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                calls.add(pool.submit((Callable<Integer>) () -> {
                    int provider = 0;
                    for (int i = 0; i < 20_000; i++) {
                        List<Match> m = classifier.classify(null, text, BO);
                        if (m.equals(withCheck)) {
                            provider++;
                        } else if (m.size() != 0) {
                            throw new AssertionError("unexpected answer " + m);
                        }
                    }
                    return provider;
                }));
            }
            Future<?> binder = pool.submit(() -> {
                for (int i = 0; i < 2_000; i++) {
                    classifier.addCheck(ref, check);
                    classifier.removeCheck(ref);
                }
                classifier.addCheck(ref, check);
            });
            binder.get(60, TimeUnit.SECONDS);
            for (Future<Integer> f : calls) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(withCheck, classifier.classify(null, text, BO));
        } finally {
            pool.shutdownNow();
        }
    }
}

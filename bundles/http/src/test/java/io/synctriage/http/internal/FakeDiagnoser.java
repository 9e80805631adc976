package io.synctriage.http.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.synctriage.model.Account;
import io.synctriage.model.Actor;
import io.synctriage.model.Alternative;
import io.synctriage.model.Answer;
import io.synctriage.model.AuthType;
import io.synctriage.model.Cause;
import io.synctriage.model.Checks;
import io.synctriage.model.Diagnoser;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.InvalidEvidenceException;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.ProviderInfo;
import io.synctriage.model.TraceStep;

/**
 * A hand-written Diagnoser: requires {@code account.id} like the real engine and answers with a
 * fixed, realistic diagnosis (or whatever {@link #answer} says).
 */
class FakeDiagnoser implements Diagnoser {

    volatile List<ProviderInfo> providers = List.of();
    volatile Function<Evidence, Diagnosis> answer = FakeDiagnoser::caSigninFrequency;
    final AtomicInteger diagnoses = new AtomicInteger();
    volatile Map<String, ?> lastBundle;

    @Override
    public Evidence normalize(Map<String, ?> bundle) throws InvalidEvidenceException {
        lastBundle = bundle;
        Object account = bundle.get("account");
        if (account == null) {
            throw new InvalidEvidenceException("account", "is required");
        }
        if (!(account instanceof Map)) {
            throw new InvalidEvidenceException("account", "must be an object");
        }
        Object id = ((Map<?, ?>) account).get("id");
        if (id == null) {
            throw new InvalidEvidenceException("account.id", "is required");
        }
        if (!(id instanceof String)) {
            throw new InvalidEvidenceException("account.id", "must be a string");
        }
        Object email = ((Map<?, ?>) account).get("email");
        Object state = ((Map<?, ?>) account).get("sync_state");
        Account normalised = new Account((String) id, (String) email, "office365", ProviderFamily.MICROSOFT,
                AuthType.OAUTH, (String) state, "paid", Instant.parse("2026-11-19T09:00:00Z"), null, null, null, 2);
        return new Evidence(normalised, List.of(), List.of(), List.of(), List.of(), List.of(),
                Instant.parse("2026-11-20T10:00:00Z"), Set.of(EvidenceSource.ACCOUNT, EvidenceSource.AUTH_LOG));
    }

    @Override
    public Diagnosis diagnose(Evidence evidence) {
        diagnoses.incrementAndGet();
        return answer.apply(evidence);
    }

    @Override
    public List<ProviderInfo> providers() {
        return providers;
    }

    static Diagnosis caSigninFrequency(Evidence evidence) {
        Account account = evidence.account();
        EvidenceItem aadsts = new EvidenceItem("auth_log", Instant.parse("2026-11-20T08:58:30Z"),
                "AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by "
                        + "conditional access.");
        EvidenceItem webhook = new EvidenceItem("webhooks", Instant.parse("2026-11-20T09:01:00Z"), "account.invalid");
        return new Diagnosis(account.id(), account.email(), account.state(), Cause.CA_SIGNIN_FREQUENCY,
                Actor.MAIL_ADMIN, 0.9,
                "A conditional access sign-in frequency policy of the tenant expired the token after 24 hours.",
                List.of("Ask the tenant admin to exempt the sync application from the sign-in frequency policy.",
                        "Then have the user re-authenticate the account."),
                List.of(aadsts, webhook),
                List.of(new Alternative(Cause.DOMAIN_SESSION_POLICY, 0.4)),
                List.of(TraceStep.of("S1_APP_REVOKED", Answer.NO, "no revoke call before the state change"),
                        TraceStep.of("S2_DOMAIN_PATTERN", Answer.UNKNOWN, "no peers supplied"),
                        TraceStep.of("S3_SAME_TIME", Answer.SKIPPED, "needs peers"),
                        TraceStep.of("S4_AUTH_TYPE", Answer.YES, "OAuth (provider office365)"),
                        new TraceStep("MS_AADSTS_CODE", Answer.YES, "AADSTS70043 names sign-in frequency",
                                List.of(aadsts))),
                List.of("api_log", "peers"),
                List.of("Collect the tenant's conditional access sign-in logs for the user."),
                new Checks("microsoft", "io.synctriage.provider.microsoft", "0.1.0"),
                "microsoft", Instant.parse("2026-11-20T09:01:00Z"));
    }

    static Diagnosis undetermined(Evidence evidence) {
        return new Diagnosis(evidence.account().id(), null, "stopped", Cause.UNDETERMINED, null, 0.0,
                "The evidence does not say why the account stopped.", List.of(),
                List.of(new EvidenceItem("account", null, "sync_state stopped")), List.of(),
                List.of(TraceStep.of("S1_APP_REVOKED", Answer.UNKNOWN, "no api_log")), List.of("api_log"),
                List.of("Export the API log around the state change."), new Checks(null, null, null), null, null);
    }
}

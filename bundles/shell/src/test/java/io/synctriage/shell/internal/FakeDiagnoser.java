package io.synctriage.shell.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

/** A hand-written Diagnoser: requires {@code account.id} and answers with a fixed diagnosis. */
class FakeDiagnoser implements Diagnoser {

    volatile List<ProviderInfo> providers = List.of();
    volatile Function<Evidence, Diagnosis> answer = FakeDiagnoser::caSigninFrequency;
    volatile Map<String, ?> lastBundle;

    @Override
    public Evidence normalize(Map<String, ?> bundle) throws InvalidEvidenceException {
        lastBundle = bundle;
        Object account = bundle.get("account");
        if (!(account instanceof Map)) {
            throw new InvalidEvidenceException("account", "is required and must be an object");
        }
        Object id = ((Map<?, ?>) account).get("id");
        if (id == null) {
            throw new InvalidEvidenceException("account.id", "is required");
        }
        if (!(id instanceof String)) {
            throw new InvalidEvidenceException("account.id", "must be a string");
        }
        Map<?, ?> fields = (Map<?, ?>) account;
        Account normalised = new Account((String) id, (String) fields.get("email"), (String) fields.get("provider"),
                ProviderFamily.MICROSOFT, AuthType.OAUTH, (String) fields.get("sync_state"), null, null, null, null,
                null, 2);
        return new Evidence(normalised, List.of(), List.of(), List.of(), List.of(), List.of(),
                Instant.parse("2026-10-05T09:00:00Z"), Set.of(EvidenceSource.ACCOUNT));
    }

    @Override
    public Diagnosis diagnose(Evidence evidence) {
        return answer.apply(evidence);
    }

    @Override
    public List<ProviderInfo> providers() {
        return providers;
    }

    static Diagnosis caSigninFrequency(Evidence evidence) {
        Account account = evidence.account();
        EvidenceItem aadsts = new EvidenceItem("auth_log", Instant.parse("2026-10-05T07:41:10Z"),
                "AADSTS70043: The refresh token has expired (sign-in frequency).");
        return new Diagnosis(account.id(), account.email(), account.state(), Cause.CA_SIGNIN_FREQUENCY,
                Actor.MAIL_ADMIN, 0.9, "The tenant's sign-in frequency policy expired the token after a day.",
                List.of("Exempt the sync application from the sign-in frequency policy.",
                        "Have the user re-authenticate the account."),
                List.of(aadsts, new EvidenceItem("webhooks", Instant.parse("2026-10-05T07:45:00Z"), "account.invalid")),
                List.of(new Alternative(Cause.DOMAIN_SESSION_POLICY, 0.35)),
                List.of(TraceStep.of("S1_APP_REVOKED", Answer.NO, "no revoke call before the state change"),
                        TraceStep.of("S2_DOMAIN_PATTERN", Answer.UNKNOWN, "no peers supplied"),
                        TraceStep.of("S3_SAME_TIME", Answer.SKIPPED, "needs peers"),
                        TraceStep.of("S4_AUTH_TYPE", Answer.YES, "OAuth: " + "x".repeat(150)),
                        new TraceStep("MS_AADSTS_CODE", Answer.YES, "AADSTS70043 is the sign-in frequency code",
                                List.of(aadsts))),
                List.of("api_log", "peers"),
                List.of("Export the tenant's sign-in logs for the user."),
                new Checks("microsoft", "io.synctriage.provider.microsoft", "0.1.0"), "microsoft",
                Instant.parse("2026-10-05T07:45:00Z"));
    }

    static Diagnosis undetermined(Evidence evidence) {
        return new Diagnosis(evidence.account().id(), null, "stopped", Cause.UNDETERMINED, null, 0.1,
                "The evidence does not tell why the account stopped.", List.of(), List.of(), List.of(),
                List.of(TraceStep.of("S1_APP_REVOKED", Answer.UNKNOWN, "no api_log")), List.of("api_log"),
                List.of(), new Checks("eas", null, null), "eas", null);
    }
}

package io.synctriage.fleet.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.synctriage.model.Cause;
import io.synctriage.model.FailureClassifier;
import io.synctriage.model.Subject;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.Match;

/** A few codes the way the engine's classifier answers them: specific provider codes first, then generic kinds. */
final class FakeClassifier implements FailureClassifier {

    private record Rule(String text, Match match) {
    }

    private static final List<Rule> RULES = List.of(
            specific("AADSTS50173", Cause.ADMIN_REVOKED_SESSIONS, ErrorKind.POLICY),
            specific("AADSTS65001", Cause.ADMIN_CONSENT_REVOKED, ErrorKind.POLICY),
            specific("AADSTS70043", Cause.CA_SIGNIN_FREQUENCY, ErrorKind.POLICY),
            specific("AADSTS50076", Cause.MFA_REQUIRED, ErrorKind.POLICY),
            specific("AADSTS700082", Cause.REFRESH_TOKEN_INACTIVE, ErrorKind.AUTH),
            specific("AADSTS7000222", Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, ErrorKind.CLIENT_CREDENTIALS),
            specific("deleted_client", Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, ErrorKind.CLIENT_CREDENTIALS),
            specific("invalid_rapt", Cause.GOOGLE_SESSION_CONTROL, ErrorKind.POLICY),
            specific("admin_policy_enforced", Cause.GOOGLE_API_ACCESS_RESTRICTED, ErrorKind.POLICY),
            new Rule("Token has been expired or revoked",
                    new Match("token-revoked", Cause.USER_REVOKED_ACCESS, ErrorKind.AUTH, false, 0.6, List.of())),
            generic("503", "HTTP 5xx", ErrorKind.SERVER),
            generic("timed out", "timeout", ErrorKind.NETWORK),
            generic("invalid_grant", "OAuth invalid_grant", ErrorKind.AUTH));

    private static Rule specific(String code, Cause cause, ErrorKind kind) {
        return new Rule(code, new Match(code, cause, kind, true, 0.9, List.of()));
    }

    private static Rule generic(String text, String label, ErrorKind kind) {
        return new Rule(text, new Match(label, null, kind, false, 0.5, List.of()));
    }

    volatile boolean broken;

    @Override
    public List<Match> classify(String error, String message, Subject subject) {
        if (broken) {
            throw new IllegalStateException("provider check crashed (test)");
        }
        String text = ((error == null ? "" : error) + " " + (message == null ? "" : message)).toLowerCase(Locale.ROOT);
        List<Match> out = new ArrayList<>();
        for (Rule r : RULES) {
            if (text.contains(r.text().toLowerCase(Locale.ROOT))) {
                out.add(r.match());
            }
        }
        return out;
    }
}

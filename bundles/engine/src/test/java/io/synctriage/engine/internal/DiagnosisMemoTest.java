package io.synctriage.engine.internal;

import static io.synctriage.engine.internal.Maps.map;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.synctriage.model.Evidence;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.Subject;
import io.synctriage.model.spi.CheckContext;
import io.synctriage.model.spi.DiagnosisMemo;
import io.synctriage.model.spi.Match;
import io.synctriage.model.spi.ProviderCheck;
import io.synctriage.model.spi.ProviderReport;

/** The engine hands the provider check one scratch space per diagnosis, in classify and in check alike. */
public class DiagnosisMemoTest {

    private static final long T = 1782900000L; // 2026-07-01T10:00:00Z

    /** Records the memo of every call, in order; a check call ends a diagnosis's calls. */
    private static final class RecordingCheck implements ProviderCheck {
        final List<DiagnosisMemo> memos = new ArrayList<>();
        final List<Boolean> isCheck = new ArrayList<>();

        @Override
        public ProviderFamily family() {
            return ProviderFamily.MICROSOFT;
        }

        @Override
        public List<String> checkNames() {
            return List.of("recording");
        }

        @Override
        public List<Match> classify(String error, String message, Subject subject) {
            throw new AssertionError("a diagnosis classifies with its memo");
        }

        @Override
        public List<Match> classify(String error, String message, Subject subject, DiagnosisMemo memo) {
            memos.add(memo);
            isCheck.add(false);
            return List.of();
        }

        @Override
        public ProviderReport check(CheckContext context) {
            memos.add(context.memo());
            isCheck.add(true);
            return ProviderReport.empty();
        }
    }

    private static Map<String, Object> bundle() {
        return map("account", map("id", "acc1", "email", "jo@example.com", "provider", "office365",
                "sync_state", "invalid"),
                "webhooks", List.of(map("date", T, "type", "account.invalid", "object_data", map("account_id", "acc1"))),
                "auth_log", List.of(map("timestamp", T - 30, "error", "invalid_grant", "message", "AADSTS50076: MFA")),
                // a peer: the provider-wide step then classifies the account's own failure near T
                "peers", List.of(map("id", "p1", "email", "al@example.org", "provider", "office365")),
                "now", T + 3600);
    }

    @Test
    public void classifyAndCheckShareTheMemoOfTheirDiagnosis() throws Exception {
        RecordingCheck check = new RecordingCheck();
        BoundCheck bound = new BoundCheck(check, "io.synctriage.provider.test", "1.0.0");
        TriageEngine engine = new TriageEngine(EngineSettings.defaults());
        Evidence ev = new EvidenceNormalizer(Clock.systemUTC()).normalize(bundle());
        engine.diagnose(ev, f -> f == ProviderFamily.MICROSOFT ? bound : null);
        engine.diagnose(ev, f -> f == ProviderFamily.MICROSOFT ? bound : null);

        List<DiagnosisMemo> checked = new ArrayList<>();
        for (int i = 0; i < check.memos.size(); i++) {
            if (check.isCheck.get(i)) {
                checked.add(check.memos.get(i));
            } else {
                // the classification belongs to the diagnosis whose check comes next
                int next = i;
                while (!check.isCheck.get(next)) {
                    next++;
                }
                assertSame(check.memos.get(next), check.memos.get(i));
            }
        }
        assertEquals(2, checked.size());
        assertNotSame("a memo per diagnosis", checked.get(0), checked.get(1));
        assertFalse("the line near T is classified", check.isCheck.get(0));
    }
}

package io.synctriage.store.internal;

import java.util.List;
import java.util.Locale;

import io.synctriage.model.AccountEvent;
import io.synctriage.model.ApiCall;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceRecord.AccountSnapshot;
import io.synctriage.model.EvidenceRecord.ApiLogEntry;
import io.synctriage.model.EvidenceRecord.LogEntry;
import io.synctriage.model.EvidenceRecord.Notification;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.LogLine;

/**
 * Validation of incoming records, before anything is queued: a bad record fails the caller's whole
 * call with {@link IllegalArgumentException} (nothing stored), never the transaction of other callers.
 * Column limits are checked here rather than left to the database, whose "value too long" would be a
 * {@code StoreException} (a server fault) for what is the client's mistake.
 */
final class Records {

    static final int MAX_ID = 255;
    static final int MAX_EMAIL = 320;
    static final int MAX_KEY = 512;
    static final int MAX_SHORT = 64;
    /** Free text (log messages, paths, bodies) beyond this is cut: evidence, not an archive. */
    static final int MAX_TEXT = 100_000;

    private Records() {
    }

    static void validate(List<EvidenceRecord> records) {
        if (records == null) {
            throw new IllegalArgumentException("records must not be null");
        }
        for (int i = 0; i < records.size(); i++) {
            EvidenceRecord r = records.get(i);
            String where = "record " + i;
            if (r == null) {
                throw new IllegalArgumentException(where + " is null");
            }
            if (r instanceof AccountSnapshot s) {
                if (s.account() == null) {
                    throw new IllegalArgumentException(where + ": account snapshot without an account");
                }
                requireId(where, s.account().id());
                limit(where, "email", s.account().email(), MAX_EMAIL);
                limit(where, "provider", s.account().provider(), MAX_SHORT);
                limit(where, "state", s.account().state(), MAX_SHORT);
                limit(where, "billing_state", s.account().billingState(), 32);
            } else if (r instanceof Notification n) {
                AccountEvent e = n.event();
                if (e == null) {
                    throw new IllegalArgumentException(where + ": notification without an event");
                }
                if (blank(e.type())) {
                    throw new IllegalArgumentException(where + ": notification without a type");
                }
                limit(where, "type", e.type(), MAX_SHORT);
                named(where, e.accountId(), e.email());
                limit(where, "provider", e.provider(), MAX_SHORT);
                limit(where, "notification id", e.notificationId(), MAX_ID);
                limit(where, "delivery key", n.deliveryKey(), MAX_KEY);
            } else if (r instanceof ApiLogEntry a) {
                ApiCall c = a.call();
                if (c == null) {
                    throw new IllegalArgumentException(where + ": API-log entry without a call");
                }
                // A call naming neither an account nor an email is an application-level call (spec: kept,
                // matches no account); it is stored, for fleet-wide questions, and never creates an account.
                limit(where, "account id", c.accountId(), MAX_ID);
                limit(where, "email", c.email(), MAX_EMAIL);
                limit(where, "method", c.method(), 16);
            } else if (r instanceof LogEntry l) {
                LogLine line = l.line();
                if (line == null) {
                    throw new IllegalArgumentException(where + ": log entry without a line");
                }
                if (line.source() != EvidenceSource.SYNC_LOG && line.source() != EvidenceSource.AUTH_LOG) {
                    throw new IllegalArgumentException(where + ": a log line's source must be sync_log or auth_log, got "
                            + line.source());
                }
                named(where, line.accountId(), line.email());
                limit(where, "level", line.level(), 32);
            }
        }
    }

    /**
     * The delivery key of a notification: the given one, else the v3 notification id, else account (or
     * email) + type + time, which is how v2 deltas (no id) are told apart (spec: webhooks are idempotent by
     * account id + type + date).
     */
    static String deliveryKey(Notification n) {
        if (!blank(n.deliveryKey())) {
            return n.deliveryKey();
        }
        AccountEvent e = n.event();
        if (!blank(e.notificationId())) {
            return "v3:" + e.notificationId();
        }
        String who = !blank(e.accountId()) ? e.accountId() : lower(e.email());
        return "v2:" + who + ":" + e.type() + ":" + (e.timestamp() == null ? "-" : e.timestamp().getEpochSecond());
    }

    /** The account a record names by id (trimmed), or null. */
    static String accountId(EvidenceRecord r) {
        String id;
        if (r instanceof AccountSnapshot s) {
            id = s.account().id();
        } else if (r instanceof Notification n) {
            id = n.event().accountId();
        } else if (r instanceof ApiLogEntry a) {
            id = a.call().accountId();
        } else {
            id = ((LogEntry) r).line().accountId();
        }
        return blank(id) ? null : id.trim();
    }

    static String lower(String s) {
        return blank(s) ? null : s.trim().toLowerCase(Locale.ROOT);
    }

    static String text(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void requireId(String where, String id) {
        if (blank(id)) {
            throw new IllegalArgumentException(where + ": the account has no id");
        }
        limit(where, "account id", id, MAX_ID);
    }

    private static void named(String where, String accountId, String email) {
        if (blank(accountId) && blank(email)) {
            throw new IllegalArgumentException(where + ": names neither an account id nor an email");
        }
        limit(where, "account id", accountId, MAX_ID);
        limit(where, "email", email, MAX_EMAIL);
    }

    private static void limit(String where, String what, String value, int max) {
        if (value != null && value.trim().length() > max) {
            throw new IllegalArgumentException(where + ": " + what + " longer than " + max + " characters");
        }
    }
}

package io.synctriage.source.webhook.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.synctriage.model.AccountEvent;
import io.synctriage.model.EvidenceRecord;

/**
 * Turns the account events of one delivery into store records with their delivery keys, and sets aside
 * what is not kept.
 */
final class Deliveries {

    /**
     * What one delivery gives the store.
     *
     * @param records       notifications to store, one per delivery key
     * @param ignored       events of other triggers (message.created …): acknowledged, not kept
     * @param repeated      events repeating a key earlier in the same delivery (counted as duplicates)
     * @param anonymous     kept-trigger events that name neither an account/grant id nor an email
     */
    record Batch(List<EvidenceRecord> records, int ignored, int repeated, List<String> anonymous) {
    }

    private Deliveries() {
    }

    /** Triggers about the account or grant itself: the evidence of a state change. */
    static boolean kept(String type) {
        return type != null && (type.startsWith("account.") || type.startsWith("grant."));
    }

    /**
     * @param body   the parsed delivery: a v2 {@code {"deltas":[…]}} or a v3 notification
     * @param events what the engine's reader found in it
     */
    static Batch of(Map<String, Object> body, List<AccountEvent> events) {
        boolean v2 = body.containsKey("deltas");
        List<EvidenceRecord> records = new ArrayList<>();
        List<String> anonymous = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        int ignored = 0;
        int repeated = 0;
        for (AccountEvent event : events) {
            if (!kept(event.type())) {
                ignored++;
                continue;
            }
            if (blank(event.accountId()) && blank(event.email())) {
                anonymous.add(event.type());
                continue;
            }
            String key = key(event, v2);
            // A batch naming the same delta twice is stored once, like a redelivery; the store only ever sees
            // distinct keys in one call.
            if (!keys.add(key)) {
                repeated++;
                continue;
            }
            records.add(new EvidenceRecord.Notification(event, key));
        }
        return new Batch(List.copyOf(records), ignored, repeated, List.copyOf(anonymous));
    }

    /**
     * The idempotency key (spec/api.md): v3 by notification {@code id}; v2 deltas, which carry no id, by
     * account id + type + date (epoch seconds, as v2 sends it). A v3 notification without an id falls back
     * to the v2 rule over its grant id, type and time.
     */
    static String key(AccountEvent event, boolean v2) {
        if (!v2 && !blank(event.notificationId())) {
            return "v3:" + event.notificationId().trim();
        }
        String who = blank(event.accountId()) ? "email:" + event.email().trim().toLowerCase(java.util.Locale.ROOT)
                : event.accountId().trim();
        String when = event.timestamp() == null ? "no-date" : String.valueOf(event.timestamp().getEpochSecond());
        return (v2 ? "v2:" : "v3:") + who + ":" + event.type() + ":" + when;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

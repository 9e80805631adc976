package io.synctriage.source.importer.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.ApiCall;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.LogLine;

/**
 * Moves every time of a record by a fixed amount: the demo fleet is written against a fixed epoch
 * and loaded so that its latest event lies shortly before "now". Works on the normalised records
 * (after the engine's reader), so no outside shape is interpreted here.
 */
final class TimeShift implements UnaryOperator<EvidenceRecord> {

    private final Duration by;

    TimeShift(Duration by) {
        this.by = by;
    }

    Duration by() {
        return by;
    }

    @Override
    public EvidenceRecord apply(EvidenceRecord record) {
        if (record instanceof EvidenceRecord.AccountSnapshot s) {
            Account a = s.account();
            return new EvidenceRecord.AccountSnapshot(new Account(a.id(), a.email(), a.provider(), a.family(),
                    a.authType(), a.state(), a.billingState(), shift(a.linkedAt()), shift(a.createdAt()),
                    shift(a.lastActivityAt()), a.inboxCount(), a.apiVersion()));
        }
        if (record instanceof EvidenceRecord.Notification n) {
            AccountEvent e = n.event();
            AccountEvent moved = new AccountEvent(e.type(), shift(e.timestamp()), e.accountId(), e.email(),
                    e.provider(), e.error(), e.message(), e.notificationId(), e.reauthentication(),
                    shift(e.grantUpdatedAt()));
            // A v2 key carries the date: derive it from the shifted one, as if the delivery had come then.
            String key = n.deliveryKey() != null && n.deliveryKey().startsWith("v2:")
                    ? EvidenceImporter.deliveryKey(moved) : n.deliveryKey();
            return new EvidenceRecord.Notification(moved, key);
        }
        if (record instanceof EvidenceRecord.ApiLogEntry a) {
            ApiCall c = a.call();
            return new EvidenceRecord.ApiLogEntry(new ApiCall(shift(c.timestamp()), c.method(), c.path(), c.status(),
                    c.accountId(), c.email(), c.body(), c.bodyText(), c.response()));
        }
        if (record instanceof EvidenceRecord.LogEntry l) {
            LogLine x = l.line();
            return new EvidenceRecord.LogEntry(new LogLine(x.source(), shift(x.timestamp()), x.level(), x.error(),
                    x.message(), x.accountId(), x.email()));
        }
        throw new IllegalArgumentException("unknown record type " + record.getClass().getName());
    }

    private Instant shift(Instant t) {
        return t == null ? null : t.plus(by);
    }
}

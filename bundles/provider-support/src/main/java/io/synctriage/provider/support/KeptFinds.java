package io.synctriage.provider.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.synctriage.model.Subject;
import io.synctriage.model.spi.DiagnosisMemo;

/**
 * The finds of one table within one diagnosis, kept in the diagnosis's {@link DiagnosisMemo}: the engine
 * classifies some of the account's texts (the ones near T, to find the state change and its error kind)
 * before it runs the check, and the check's {@link LogScan} reads the same texts again. Preparing and
 * looking up a long token-endpoint line is the costly part of classifying it, so it is done once.
 *
 * <p>A find is a function of the text and the subject, so a kept one is exactly what finding again would
 * give. Subjects and tables are compared by identity (the subject's record equality would compare whole
 * event lists); the memo key is the table itself, so two checks never read each other's finds.
 */
final class KeptFinds {

    /** A text prepared and the table's rows for it, best first (immutable). */
    record Found(Text text, List<Signature> rows) {
    }

    private final Map<Key, Found> finds = new HashMap<>();

    private KeptFinds() {
    }

    /** The finds {@code table} kept in the memo, or null when it kept none. */
    static KeptFinds in(DiagnosisMemo memo, SignatureTable table) {
        Object kept = memo.get(new TableKey(table));
        return kept instanceof KeptFinds k ? k : null;
    }

    /** {@link SignatureTable#find(Text, Subject)} for the text, kept in the memo for a later {@link #get}. */
    static Found find(DiagnosisMemo memo, SignatureTable table, String error, String message, Subject subject) {
        KeptFinds kept = in(memo, table);
        if (kept == null) {
            kept = new KeptFinds();
            memo.put(new TableKey(table), kept);
        }
        Key key = new Key(error, message, subject);
        Found found = kept.finds.get(key);
        if (found == null) {
            Text text = Text.of(error, message);
            found = new Found(text, List.copyOf(table.find(text, subject)));
            kept.finds.put(key, found);
        }
        return found;
    }

    /** What was found for the text and subject, or null when it was not looked up. */
    Found get(String error, String message, Subject subject) {
        return finds.get(new Key(error, message, subject));
    }

    /** The memo key of a table's finds: the table, by identity. */
    private record TableKey(SignatureTable table) {
        @Override
        public boolean equals(Object o) {
            return o instanceof TableKey k && k.table == table;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(table);
        }
    }

    /** A logged text as given (error and message apart, either may be null) and its subject, by identity. */
    private static final class Key {
        private final String error;
        private final String message;
        private final Subject subject;
        private final int hash;

        Key(String error, String message, Subject subject) {
            this.error = error;
            this.message = message;
            this.subject = subject;
            this.hash = 31 * Objects.hashCode(error) + Objects.hashCode(message);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.subject == subject && k.hash == hash && Objects.equals(k.error, error)
                    && Objects.equals(k.message, message);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}

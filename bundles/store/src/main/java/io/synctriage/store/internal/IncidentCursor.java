package io.synctriage.store.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * The keyset position of an incident listing: the {@code (last_at, id)} of the last incident of a page.
 * The next page is what sorts after it in {@code last_at DESC, id DESC}, so a page never repeats or skips
 * an incident when incidents are added meanwhile (an offset would). Opaque to clients: base64url of
 * {@code <ISO-8601 last_at>|<id>}. The instant is kept whole, not as epoch milliseconds: stored
 * timestamps have microseconds, and a truncated position would skip the incidents of the same
 * millisecond.
 */
record IncidentCursor(Instant lastAt, String id) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((lastAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes a cursor of {@link #encode()}.
     *
     * @throws IllegalArgumentException when it is not one
     */
    static IncidentCursor decode(String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed(cursor);
        }
        int bar = text.indexOf('|');
        if (bar <= 0 || bar == text.length() - 1) {
            throw malformed(cursor);
        }
        try {
            return new IncidentCursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
        } catch (DateTimeParseException e) {
            throw malformed(cursor);
        }
    }

    private static IllegalArgumentException malformed(String cursor) {
        String shown = cursor.length() > 80 ? cursor.substring(0, 80) + "…" : cursor;
        return new IllegalArgumentException("cursor '" + shown
                + "' is not a cursor of the incident listing: pass the 'next' of the previous page unchanged");
    }
}

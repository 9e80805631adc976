package io.synctriage.http.internal;

import java.util.Locale;

/** Content-Type checks. */
final class MediaTypes {

    private MediaTypes() {
    }

    /**
     * True for {@code application/json} and any {@code type/subtype+json} (e.g.
     * {@code application/vnd.acme.evidence+json}), whatever the parameters ({@code charset=...}).
     * Case-insensitive, as media types are.
     */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0 || slash == type.length() - 1) {
            return false;
        }
        String subtype = type.substring(slash + 1);
        return "application/json".equals(type) || (subtype.endsWith("+json") && subtype.length() > "+json".length());
    }
}

package io.synctriage.http.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.synctriage.model.Cause;
import io.synctriage.model.IncidentQuery;
import io.synctriage.model.IncidentStatus;

/**
 * The query string of {@code GET /api/v1/fleet/incidents} as an {@link IncidentQuery}: {@code since},
 * {@code domain}, {@code provider}, {@code cause}, {@code status}, {@code limit}, {@code cursor}. Blank values mean
 * "no filter"; anything else that is not understood is refused with the parameter named, never guessed.
 */
final class IncidentQueryParameters {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** Without {@code since}: the incidents of the last 30 days (their {@code last_at}), as spec/api.md says. */
    static final Duration DEFAULT_LOOK_BACK = Duration.ofDays(30);
    static final Set<String> NAMES = Set.of("since", "domain", "provider", "cause", "status", "limit", "cursor");

    /** A parameter that cannot be used; {@link #field()} names it. */
    static final class InvalidParameterException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        InvalidParameterException(String field, String message) {
            super(message);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    private IncidentQueryParameters() {
    }

    /**
     * @param parameters the request's parameters
     * @param now        what a relative or default {@code since} counts back from
     */
    static IncidentQuery parse(Map<String, String[]> parameters, Instant now) throws InvalidParameterException {
        for (Map.Entry<String, String[]> p : parameters.entrySet()) {
            if (!NAMES.contains(p.getKey())) {
                throw new InvalidParameterException(p.getKey(), "unknown parameter '" + p.getKey()
                        + "'; the parameters are since, domain, provider, cause, status, limit and cursor");
            }
            if (p.getValue() != null && p.getValue().length > 1) {
                throw new InvalidParameterException(p.getKey(), "'" + p.getKey() + "' is given more than once");
            }
        }
        return new IncidentQuery(since(text(parameters, "since"), now), domain(text(parameters, "domain")),
                text(parameters, "provider"), cause(text(parameters, "cause")), status(text(parameters, "status")),
                limit(text(parameters, "limit")), text(parameters, "cursor"));
    }

    /**
     * The name of the first parameter of a raw query string whose name or value is not valid percent-encoding (as
     * decoded, or raw when the name itself is the broken part); null when every part decodes.
     */
    static String undecodable(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String part : rawQuery.split("&")) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String decodedName = decodes(name);
            if (decodedName == null) {
                return name;
            }
            if (eq >= 0 && decodes(part.substring(eq + 1)) == null) {
                return decodedName;
            }
        }
        return null;
    }

    /** The decoded text, or null when it is not valid percent-encoding. */
    private static String decodes(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The value, trimmed; null when absent or blank. */
    static String text(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        if (values == null || values.length == 0 || values[0] == null || values[0].isBlank()) {
            return null;
        }
        return values[0].trim();
    }

    private static Instant since(String value, Instant now) throws InvalidParameterException {
        if (value == null) {
            return now.minus(DEFAULT_LOOK_BACK);
        }
        try {
            return IncidentQuery.parseSince(value, now);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("since", "'since' must be " + IncidentQuery.SINCE_FORMS + ", got '" + value + "'");
        }
    }

    /** {@code @contoso.com} and {@code contoso.com} name the same domain. */
    private static String domain(String value) {
        if (value == null) {
            return null;
        }
        String d = value.startsWith("@") ? value.substring(1).trim() : value;
        return d.isEmpty() ? null : d.toLowerCase(Locale.ROOT);
    }

    private static Cause cause(String value) throws InvalidParameterException {
        if (value == null) {
            return null;
        }
        try {
            return Cause.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("cause", "unknown cause '" + value + "'; the causes are "
                    + Arrays.stream(Cause.values()).map(Cause::name).collect(Collectors.joining(", ")));
        }
    }

    private static IncidentStatus status(String value) throws InvalidParameterException {
        if (value == null) {
            return null;
        }
        IncidentStatus status = IncidentStatus.ofWireName(value);
        if (status == null) {
            throw new InvalidParameterException("status", "'status' must be open or closed, got '" + value + "'");
        }
        return status;
    }

    private static int limit(String value) throws InvalidParameterException {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidParameterException("limit", "'limit' must be a whole number, got '" + value + "'");
        }
        if (parsed < 1 || parsed > MAX_LIMIT) {
            throw new InvalidParameterException("limit",
                    "'limit' must be between 1 and " + MAX_LIMIT + ", got " + value);
        }
        return (int) parsed;
    }
}

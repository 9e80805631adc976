package io.synctriage.provider.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.synctriage.model.Alternative;
import io.synctriage.model.Cause;
import io.synctriage.model.Subject;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.Match;

/**
 * A provider's knowledge as data: one row per known code or string, loaded once when the provider
 * check is activated. Adding an error code is a one-line change in the resource file.
 *
 * <h2>Format</h2>
 * UTF-8 text; {@code #} starts a comment line; blank lines are ignored. Each row has eight columns
 * separated by a tab or by two or more spaces:
 * <pre>
 * match                 cause                kind    level     confidence  alternatives            tags  label
 * aadsts:70043          CA_SIGNIN_FREQUENCY  POLICY  specific  0.95        DOMAIN_SESSION_POLICY:0.3  -   AADSTS70043 ...
 * </pre>
 * <ul>
 *   <li>{@code match}: one or more terms joined by {@code &&}; a term is {@code [!]type:value[|value...]}
 *       with the types of {@link MatchType} ({@code aadsts}, {@code eas_status}, {@code http},
 *       {@code token}, {@code text}, {@code imap_code}, {@code regex}, {@code provider}, {@code domain}).</li>
 *   <li>{@code cause}: a {@link Cause} name, or {@code -} for {@code info} rows.</li>
 *   <li>{@code kind}: an {@link ErrorKind} name.</li>
 *   <li>{@code level}: {@code specific}, {@code heuristic} or {@code info} ({@link SignatureLevel}).</li>
 *   <li>{@code alternatives}: {@code -} or {@code CAUSE:confidence} pairs separated by commas.</li>
 *   <li>{@code tags}: {@code -} or comma-separated names of the provider's context rules / trace steps.</li>
 *   <li>{@code label}: the signature as a person names it (free text, may contain single spaces).</li>
 * </ul>
 *
 * <h2>Matching</h2>
 * {@link #find} returns the rows whose terms all hold, best first (specific, then heuristic, then
 * info; then more qualified; then higher confidence; then table order). A row is dropped when a
 * matching row with the same first term has more positive terms: that is how a provider-qualified
 * signature ({@code [AUTHENTICATIONFAILED]} on iCloud) beats its generic form.
 */
public final class SignatureTable {

    private static final Pattern COLUMNS = Pattern.compile("(?:[ ]*\\t[ \\t]*)|(?: {2,})");
    private static final Pattern AND = Pattern.compile("\\s+&&\\s+");

    private static final Comparator<Signature> BEST_FIRST = Comparator
            .comparing(Signature::level)
            .thenComparing(Comparator.comparingInt(Signature::positiveTerms).reversed())
            .thenComparing(Comparator.comparingDouble(Signature::confidence).reversed())
            .thenComparingInt(Signature::line);

    private final String source;
    private final List<Signature> signatures;
    private final Index index;

    private SignatureTable(String source, List<Signature> signatures) {
        this.source = source;
        this.signatures = List.copyOf(signatures);
        this.index = new Index(this.signatures);
    }

    /**
     * Loads a table shipped next to {@code owner} (its class loader, so it works inside a bundle).
     *
     * @param knownTags the tags the provider implements; a row naming another tag is an error
     * @throws IllegalStateException when the resource is missing or a row is malformed
     */
    public static SignatureTable load(Class<?> owner, String resource, Set<String> knownTags) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing next to " + owner.getName());
            }
            return parse(resource, new InputStreamReader(in, StandardCharsets.UTF_8), knownTags);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a table.
     *
     * @param source    name for messages
     * @param knownTags the tags the provider implements
     * @throws IllegalStateException naming the source and line of the first malformed row
     */
    public static SignatureTable parse(String source, Reader reader, Set<String> knownTags) throws IOException {
        BufferedReader r = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<Signature> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                Signature s = parseRow(n, trimmed, knownTags);
                String key = s.terms().toString();
                if (!seen.add(key)) {
                    throw new IllegalArgumentException("duplicate match " + key);
                }
                rows.add(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(source + " line " + n + ": " + e.getMessage(), e);
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException(source + " has no rows");
        }
        return new SignatureTable(source, rows);
    }

    private static Signature parseRow(int n, String row, Set<String> knownTags) {
        String[] cols = COLUMNS.split(row);
        if (cols.length != 8) {
            throw new IllegalArgumentException("expected 8 columns (match, cause, kind, level, confidence,"
                    + " alternatives, tags, label), found " + cols.length);
        }
        List<Term> terms = new ArrayList<>();
        for (String t : AND.split(cols[0].trim())) {
            terms.add(Term.parse(t));
        }
        if (terms.get(0).negated()) {
            throw new IllegalArgumentException("the first term must not be negated");
        }
        SignatureLevel level = enumValue(SignatureLevel.class, cols[3], "level");
        Cause cause = "-".equals(cols[1].trim()) ? null : enumValue(Cause.class, cols[1], "cause");
        if (cause == Cause.UNDETERMINED) {
            throw new IllegalArgumentException("UNDETERMINED is not a cause a signature can name");
        }
        if (level == SignatureLevel.INFO && cause != null) {
            throw new IllegalArgumentException("an info row names no cause (use '-')");
        }
        if (level != SignatureLevel.INFO && cause == null) {
            throw new IllegalArgumentException("a " + level.id() + " row must name a cause");
        }
        ErrorKind kind = enumValue(ErrorKind.class, cols[2], "kind");
        double confidence = confidence(cols[4]);
        List<Alternative> alternatives = new ArrayList<>();
        if (!"-".equals(cols[5].trim())) {
            for (String pair : cols[5].split(",")) {
                String[] p = pair.trim().split(":");
                if (p.length != 2) {
                    throw new IllegalArgumentException("alternative '" + pair + "' must read CAUSE:confidence");
                }
                Cause alt = enumValue(Cause.class, p[0], "alternative cause");
                if (alt == cause) {
                    throw new IllegalArgumentException("alternative repeats the row's cause " + alt);
                }
                alternatives.add(new Alternative(alt, confidence(p[1])));
            }
            alternatives.sort(Comparator.comparingDouble(Alternative::confidence).reversed());
        }
        Set<String> tags = new LinkedHashSet<>();
        if (!"-".equals(cols[6].trim())) {
            for (String t : cols[6].split(",")) {
                String tag = t.trim();
                if (knownTags != null && !knownTags.contains(tag)) {
                    throw new IllegalArgumentException("unknown tag '" + tag + "' (known: " + knownTags + ")");
                }
                tags.add(tag);
            }
        }
        String label = cols[7].trim();
        return new Signature(n, terms, cause, kind, level, confidence, alternatives, tags, label);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String raw, String what) {
        String v = raw.trim().toUpperCase(Locale.ROOT);
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + what + " '" + raw.trim() + "'");
        }
    }

    private static double confidence(String raw) {
        double d;
        try {
            d = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("confidence '" + raw.trim() + "' is not a number");
        }
        if (d < 0 || d > 1) {
            throw new IllegalArgumentException("confidence " + d + " is outside [0, 1]");
        }
        return d;
    }

    /** All rows, in table order. */
    public List<Signature> signatures() {
        return signatures;
    }

    /** The causes the rows name. */
    public Set<Cause> causes() {
        Set<Cause> out = EnumSet.noneOf(Cause.class);
        for (Signature s : signatures) {
            if (s.cause() != null) {
                out.add(s.cause());
            }
        }
        return out;
    }

    /** Rows that hold for this text, best first (see the class comment). */
    public List<Signature> find(Text text, Subject subject) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<Signature> hits = index.find(text, subject);
        if (hits.isEmpty()) {
            return List.of();
        }
        if (hits.size() > 1) {
            List<Signature> shadowed = new ArrayList<>();
            for (Signature a : hits) {
                for (Signature b : hits) {
                    if (a != b && a.terms().get(0).equals(b.terms().get(0))
                            && a.positiveTerms() > b.positiveTerms()) {
                        shadowed.add(b);
                    }
                }
            }
            hits.removeAll(shadowed);
            hits.sort(BEST_FIRST);
        }
        return Collections.unmodifiableList(hits);
    }

    /**
     * Whether {@link #find(Text, Subject)} could find a row for {@code Text.of(s)}, {@code s} one trimmed
     * logged field: false only when it surely finds none, which a first cheap read can tell for most
     * benign lines (see Index). A "maybe" says nothing: find decides.
     */
    boolean mayMatchPlain(String s) {
        return index.mayMatchPlain(s);
    }

    /** {@link #find(Text, Subject)} on the OAuth error field and message joined. */
    public List<Signature> find(String error, String message, Subject subject) {
        return find(Text.of(error, message), subject);
    }

    /** The SPI answer for one logged failure: {@link #find} as {@link Match}es. */
    public List<Match> classify(String error, String message, Subject subject) {
        return toMatches(find(error, message, subject));
    }

    /** Rows found, as {@link Match}es (in their order). */
    static List<Match> toMatches(List<Signature> found) {
        List<Match> out = new ArrayList<>(found.size());
        for (Signature s : found) {
            out.add(s.toMatch());
        }
        return out;
    }

    @Override
    public String toString() {
        return source + " (" + signatures.size() + " rows)";
    }
}

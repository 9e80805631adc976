package io.synctriage.provider.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.synctriage.model.Cause;

/**
 * The customer-facing texts of a provider: per cause (or cause variant) a summary and ordered
 * remediation steps, loaded once from a UTF-8 properties resource:
 * <pre>
 * CA_SIGNIN_FREQUENCY.summary = ... {email} ... {signature} ...
 * CA_SIGNIN_FREQUENCY.step.1  = Mail admin: open Microsoft Entra admin center › ...
 * CA_SIGNIN_FREQUENCY.step.2  = ...
 * PASSWORD_CHANGED.non-ascii.summary = ...   (a variant, chosen by the check)
 * </pre>
 * Placeholders are limited to {@link #PLACEHOLDERS}; an unknown placeholder, a key without a
 * summary or without steps, or a gap in the step numbers fails the load, so a typo cannot reach
 * a customer.
 */
public final class Texts {

    /** The placeholders a text may use; the check always supplies all of them. */
    public static final Set<String> PLACEHOLDERS = Set.of(
            "email", "domain", "provider", "signature", "when", "detail", "host", "count");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");
    private static final Pattern KEY = Pattern.compile("([A-Z][A-Z_]*(?:\\.[a-z][a-z0-9-]*)?)\\.(summary|step\\.(\\d+))");

    /** A rendered text. */
    public record Rendered(String summary, List<String> remediation) {
        public Rendered {
            remediation = List.copyOf(remediation);
        }
    }

    private record Entry(String summary, List<String> steps) {
    }

    private final Map<String, Entry> entries;

    private Texts(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    /** Loads texts shipped next to {@code owner}. */
    public static Texts load(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing next to " + owner.getName());
            }
            return parse(resource, new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses texts; throws {@link IllegalStateException} naming the first bad key. */
    public static Texts parse(String source, Reader reader) throws IOException {
        Properties p = new Properties();
        p.load(reader);
        Map<String, String> summaries = new HashMap<>();
        Map<String, Map<Integer, String>> steps = new HashMap<>();
        for (String name : p.stringPropertyNames()) {
            Matcher m = KEY.matcher(name);
            if (!m.matches()) {
                throw new IllegalStateException(source + ": key '" + name + "' must read CAUSE[.variant].summary"
                        + " or CAUSE[.variant].step.N");
            }
            String key = m.group(1);
            String cause = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            try {
                Cause.valueOf(cause);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(source + ": '" + cause + "' in '" + name + "' is not a cause");
            }
            String value = p.getProperty(name).strip();
            if (value.isEmpty()) {
                throw new IllegalStateException(source + ": '" + name + "' is empty");
            }
            Matcher ph = PLACEHOLDER.matcher(value);
            while (ph.find()) {
                if (!PLACEHOLDERS.contains(ph.group(1))) {
                    throw new IllegalStateException(source + ": '" + name + "' uses unknown placeholder {"
                            + ph.group(1) + "}");
                }
            }
            if ("summary".equals(m.group(2))) {
                summaries.put(key, value);
            } else {
                steps.computeIfAbsent(key, k -> new HashMap<>()).put(Integer.parseInt(m.group(3)), value);
            }
        }
        Map<String, Entry> entries = new HashMap<>();
        Set<String> keys = new TreeSet<>(summaries.keySet());
        keys.addAll(steps.keySet());
        for (String key : keys) {
            String summary = summaries.get(key);
            Map<Integer, String> numbered = steps.get(key);
            if (summary == null) {
                throw new IllegalStateException(source + ": '" + key + "' has steps but no summary");
            }
            if (numbered == null) {
                throw new IllegalStateException(source + ": '" + key + "' has a summary but no step.1");
            }
            List<String> ordered = new ArrayList<>();
            for (int i = 1; i <= numbered.size(); i++) {
                String s = numbered.get(i);
                if (s == null) {
                    throw new IllegalStateException(source + ": '" + key + "' steps must be numbered 1.."
                            + numbered.size() + " without gaps");
                }
                ordered.add(s);
            }
            entries.put(key, new Entry(summary, ordered));
        }
        return new Texts(entries);
    }

    /** Whether a text exists for {@code CAUSE} or {@code CAUSE.variant}. */
    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /**
     * Fails unless every key ({@code CAUSE} or {@code CAUSE.variant}) has a text: a provider calls
     * this at activation with every cause and variant it can name.
     */
    public void requireAll(java.util.Collection<String> keys) {
        Set<String> missing = new TreeSet<>();
        for (String k : keys) {
            if (!entries.containsKey(k)) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no summary/remediation text for " + missing);
        }
    }


    /**
     * Renders the text of the cause's variant when there is one, else of the cause.
     *
     * @param variant may be null
     * @param vars    values for the placeholders; a missing value renders as an empty string
     * @throws IllegalStateException when there is no text for the cause at all
     */
    public Rendered render(Cause cause, String variant, Map<String, String> vars) {
        return render(cause, variant, (Function<String, String>) vars::get);
    }

    /**
     * {@link #render(Cause, String, Map)} with the placeholders' values looked up by name, so that a
     * caller computes only those of the placeholders the text has.
     */
    public Rendered render(Cause cause, String variant, Function<String, String> vars) {
        Entry e = variant == null ? null : entries.get(cause.name() + "." + variant);
        if (e == null) {
            e = entries.get(cause.name());
        }
        if (e == null) {
            throw new IllegalStateException("no summary/remediation text for " + cause);
        }
        List<String> steps = new ArrayList<>(e.steps().size());
        for (String s : e.steps()) {
            steps.add(fill(s, vars));
        }
        return new Rendered(fill(e.summary(), vars), steps);
    }

    /**
     * Replaces each {@link #PLACEHOLDER} ({@code {name}}, name in a-z) by its value, a missing value by
     * nothing. By hand rather than {@code Matcher.appendReplacement}: every finding renders several
     * texts, and the regex with its replacement quoting was a visible share of a diagnosis.
     */
    static String fill(String template, Map<String, String> vars) {
        return fill(template, (Function<String, String>) vars::get);
    }

    private static String fill(String template, Function<String, String> vars) {
        int open = template.indexOf('{');
        if (open < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 64);
        int from = 0;
        while (open >= 0) {
            int end = open + 1;
            while (end < template.length() && template.charAt(end) >= 'a' && template.charAt(end) <= 'z') {
                end++;
            }
            if (end > open + 1 && end < template.length() && template.charAt(end) == '}') {
                String v = vars.apply(template.substring(open + 1, end));
                out.append(template, from, open).append(v == null ? "" : v);
                from = end + 1;
                open = template.indexOf('{', from);
            } else {
                open = template.indexOf('{', open + 1);
            }
        }
        return out.append(template, from, template.length()).toString();
    }
}

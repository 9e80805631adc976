package io.synctriage.engine.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.synctriage.model.Cause;

/**
 * Summary and remediation texts per cause ({@code cause-texts.properties}), with {placeholders}
 * filled from the diagnosis. Loaded once; every cause must have both texts (checked at load, so
 * a new cause without texts fails the engine's tests, not a customer's diagnosis).
 */
final class CauseTexts {

    private final Map<Cause, String> summaries = new EnumMap<>(Cause.class);
    private final Map<Cause, List<String>> remediations = new EnumMap<>(Cause.class);

    private CauseTexts() {
    }

    static CauseTexts load() {
        Properties p = new Properties();
        try (InputStream in = CauseTexts.class.getResourceAsStream("cause-texts.properties")) {
            if (in == null) {
                throw new IllegalStateException("cause-texts.properties missing from the engine bundle");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CauseTexts t = new CauseTexts();
        for (Cause c : Cause.values()) {
            String s = p.getProperty(c.name() + ".summary");
            String r = p.getProperty(c.name() + ".remediation");
            if (s == null || r == null) {
                throw new IllegalStateException("cause-texts.properties lacks the summary or remediation of " + c);
            }
            t.summaries.put(c, s.trim());
            List<String> steps = new ArrayList<>();
            for (String step : r.split("\\s\\|\\s")) {
                if (!step.isBlank()) {
                    steps.add(step.trim());
                }
            }
            t.remediations.put(c, List.copyOf(steps));
        }
        return t;
    }

    String summary(Cause cause, Map<String, String> vars) {
        return fill(summaries.get(cause), vars);
    }

    List<String> remediation(Cause cause, Map<String, String> vars) {
        List<String> out = new ArrayList<>();
        for (String s : remediations.get(cause)) {
            out.add(fill(s, vars));
        }
        return out;
    }

    /** Replaces {name} with vars[name]; unknown placeholders stay as they are (e.g. {client_id} in a path). */
    static String fill(String template, Map<String, String> vars) {
        StringBuilder sb = new StringBuilder(template.length() + 32);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            int close;
            if (c == '{' && (close = template.indexOf('}', i)) > i) {
                String key = template.substring(i + 1, close);
                String v = vars.get(key);
                if (v != null) {
                    sb.append(v);
                    i = close + 1;
                    continue;
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }
}

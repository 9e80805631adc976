package io.synctriage.engine.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.synctriage.model.spi.ErrorKind;

/**
 * The engine's own, provider-independent failure signatures, loaded once from
 * {@code generic-signals.tsv}: enough to answer S1–S5 when no provider bundle is installed.
 */
final class GenericSignals {

    /** One signature of the table. */
    record Signal(ErrorKind kind, Pattern pattern, String label, List<String> literals) {

        /** Whether the lower-cased text contains one of the literals every match contains. */
        boolean mayMatch(String lower) {
            for (String literal : literals) {
                if (lower.contains(literal)) {
                    return true;
                }
            }
            return literals.isEmpty();
        }
    }

    private final List<Signal> signals;

    private GenericSignals(List<Signal> signals) {
        this.signals = List.copyOf(signals);
    }

    static GenericSignals load() {
        try (InputStream in = GenericSignals.class.getResourceAsStream("generic-signals.tsv")) {
            if (in == null) {
                throw new IllegalStateException("generic-signals.tsv missing from the engine bundle");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Signal> out = new ArrayList<>();
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                if (cols.length != 4) {
                    throw new IllegalStateException("generic-signals.tsv line " + n + ": expected 4 tab-separated columns");
                }
                List<String> literals = new ArrayList<>();
                for (String literal : cols[3].split(",")) {
                    if (!literal.isBlank()) {
                        literals.add(literal.trim().toLowerCase(Locale.ROOT));
                    }
                }
                out.add(new Signal(ErrorKind.valueOf(cols[0].trim()),
                        Pattern.compile(cols[1], Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), cols[2].trim(),
                        List.copyOf(literals)));
            }
            return new GenericSignals(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first signature found in the text, or null. Table order is priority order. The regexes run
     * only for rows whose literals occur in the text: most log lines contain none, and regex
     * matching was the engine's hot spot.
     */
    Signal first(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (Signal s : signals) {
            if (s.mayMatch(lower) && s.pattern().matcher(text).find()) {
                return s;
            }
        }
        return null;
    }

    /** Like {@link #first(String)} without the literal prefilter: the reference the tests compare with. */
    Signal firstByRegexOnly(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        for (Signal s : signals) {
            if (s.pattern().matcher(text).find()) {
                return s;
            }
        }
        return null;
    }
}

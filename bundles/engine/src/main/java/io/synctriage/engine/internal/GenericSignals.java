package io.synctriage.engine.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.synctriage.model.spi.ErrorKind;

/**
 * The engine's own, provider-independent failure signatures, loaded once from
 * {@code generic-signals.tsv}: enough to answer S1–S5 when no provider bundle is installed.
 */
final class GenericSignals {

    /** One signature of the table. */
    record Signal(ErrorKind kind, Pattern pattern, String label) {
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
                if (cols.length != 3) {
                    throw new IllegalStateException("generic-signals.tsv line " + n + ": expected 3 tab-separated columns");
                }
                out.add(new Signal(ErrorKind.valueOf(cols[0].trim()),
                        Pattern.compile(cols[1], Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), cols[2].trim()));
            }
            return new GenericSignals(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first signature found in the text, or null. Table order is priority order. */
    Signal first(String text) {
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

    /** The first signature of the given kind found in the text, or null. */
    Signal first(String text, ErrorKind kind) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        for (Signal s : signals) {
            if (s.kind() == kind && s.pattern().matcher(text).find()) {
                return s;
            }
        }
        return null;
    }
}

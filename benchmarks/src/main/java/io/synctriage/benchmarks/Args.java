package io.synctriage.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line options of the small benchmark tools; unknown or incomplete ones fail. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    private Args() {
    }

    /** {@link #parse}, or the message on stderr and exit status 2: a command-line tool's way to fail. */
    static Args parseOrExit(String[] args, Set<String> known, String usage) {
        try {
            return parse(args, known, usage);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    static Args parse(String[] args, Set<String> known, String usage) {
        Args a = new Args();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !known.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("bad option '" + args[i] + "'\nusage: " + usage);
            }
            a.values.put(name, args[++i]);
        }
        return a;
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int positiveInt(String name, int fallback) {
        int n = wholeNumber(name, fallback);
        if (n <= 0) {
            throw new IllegalArgumentException("--" + name + " must be positive, got " + n);
        }
        return n;
    }

    int nonNegativeInt(String name, int fallback) {
        int n = wholeNumber(name, fallback);
        if (n < 0) {
            throw new IllegalArgumentException("--" + name + " must be 0 or more, got " + n);
        }
        return n;
    }

    private int wholeNumber(String name, int fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }
}

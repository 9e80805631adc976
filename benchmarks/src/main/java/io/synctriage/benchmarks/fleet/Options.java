package io.synctriage.benchmarks.fleet;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options and {@code --flag} switches; an unknown or incomplete option fails. */
final class Options {

    private final Map<String, String> values = new HashMap<>();

    private Options() {
    }

    static Options parse(String[] args, Set<String> valued, Set<String> flags) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name != null && flags.contains(name)) {
                o.values.put(name, "true");
            } else if (name != null && valued.contains(name) && i + 1 < args.length) {
                o.values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown or incomplete option '" + args[i] + "'");
            }
        }
        return o;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    long number(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim().replace("_", "").replace(",", ""));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a non-negative whole number, got '" + v + "'");
        }
    }

    int integer(String name, int fallback) {
        long n = number(name, fallback);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--" + name + " is too large: " + n);
        }
        return (int) n;
    }
}

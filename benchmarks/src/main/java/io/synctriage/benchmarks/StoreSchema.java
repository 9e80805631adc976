package io.synctriage.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The evidence store's schema, from the store bundle's own migration scripts
 * ({@code io/synctriage/store/migration/V<n>__*.sql}, which Flyway applies in the distribution), applied in
 * version order with plain JDBC: the baseline writes into exactly the tables, indexes and constraints the
 * webhook path writes into.
 *
 * <p>Flyway placeholders ({@code ${name}}) are replaced with the values the store sets for H2.
 */
final class StoreSchema {

    static final String DIR = "io/synctriage/store/migration/";
    private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__[^/]*\\.sql");
    /**
     * The store's Flyway placeholders for H2 (io.synctriage.store.internal.Dialect.H2, package-private there):
     * a different value only changes how fast the baseline writes, never whether it works.
     */
    static final Map<String, String> H2_PLACEHOLDERS = Map.of("identity_cache", "1000");

    private StoreSchema() {
    }

    /** Runs every migration script on {@code c}; returns their names in the order applied. */
    static List<String> create(Connection c) throws SQLException {
        List<String> names = scripts();
        for (String name : names) {
            try (Statement s = c.createStatement()) {
                for (String sql : statements(withPlaceholders(read(DIR + name)))) {
                    s.execute(sql);
                }
            }
        }
        return names;
    }

    /** The script names, by version number (V2 before V10). */
    static List<String> scripts() {
        URL first = StoreSchema.class.getClassLoader().getResource(DIR + "V1__evidence_store.sql");
        if (first == null) {
            throw new IllegalStateException(DIR + "V1__evidence_store.sql is not on the class path (io.synctriage.store)");
        }
        List<String> names = new ArrayList<>();
        try {
            if ("jar".equals(first.getProtocol())) {
                JarURLConnection jar = (JarURLConnection) first.openConnection();
                jar.setUseCaches(false);
                try (JarFile file = jar.getJarFile()) {
                    file.stream().map(e -> e.getName()).filter(n -> n.startsWith(DIR))
                            .map(n -> n.substring(DIR.length())).filter(n -> SCRIPT.matcher(n).matches())
                            .forEach(names::add);
                }
            } else {
                try (Stream<Path> files = Files.list(Path.of(first.toURI()).getParent())) {
                    files.map(p -> p.getFileName().toString()).filter(n -> SCRIPT.matcher(n).matches())
                            .forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        names.sort(Comparator.comparingInt(StoreSchema::version));
        return names;
    }

    private static int version(String name) {
        Matcher m = SCRIPT.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException(name);
        }
        return Integer.parseInt(m.group(1));
    }

    private static String read(String resource) {
        try (InputStream in = StoreSchema.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String withPlaceholders(String script) {
        String out = script;
        for (Map.Entry<String, String> p : H2_PLACEHOLDERS.entrySet()) {
            out = out.replace("${" + p.getKey() + "}", p.getValue());
        }
        if (out.contains("${")) {
            throw new IllegalStateException("a migration script has a placeholder StoreSchema does not know: "
                    + out.substring(out.indexOf("${"), Math.min(out.length(), out.indexOf("${") + 40)));
        }
        return out;
    }

    /**
     * The statements of a script: {@code --} comment lines dropped, split at a {@code ;} that ends a line. The
     * store's scripts are plain DDL in that style; a script with procedural blocks would need Flyway's parser.
     */
    static List<String> statements(String script) {
        StringBuilder sb = new StringBuilder();
        List<String> out = new ArrayList<>();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            sb.append(line).append('\n');
            if (t.endsWith(";")) {
                out.add(sb.substring(0, sb.lastIndexOf(";")).strip());
                sb.setLength(0);
            }
        }
        if (!sb.toString().isBlank()) {
            out.add(sb.toString().strip());
        }
        return out;
    }
}

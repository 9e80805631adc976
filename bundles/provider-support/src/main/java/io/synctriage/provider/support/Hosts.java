package io.synctriage.provider.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server host names: found in logged texts, and a provider's list of public (shared, provider-run)
 * mail hosts, loaded from a resource with one host or parent domain per line ({@code #} comments).
 * A timeout to a public host is the provider's problem; to the customer's own server it points at
 * an allow-list (NETWORK_RESTRICTED).
 */
public final class Hosts {

    /**
     * A DNS name with a letter TLD of at most 13 characters, not part of an email address or of a
     * longer dotted identifier; the TLD limit keeps Java class names ({@code java.net.SocketTimeoutException})
     * out.
     */
    static final Pattern HOST = Pattern.compile(
            "(?i)(?<![a-z0-9@._-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,13})(?![a-z0-9_-])(?!\\.[a-z0-9])");
    private static final Pattern MAILISH = Pattern.compile(
            "(?i)^(?:mail|imap|imaps|smtp|eas|exchange|owa|outlook|autodiscover|mx|webmail)\\b.*");

    private final Set<String> publicHosts;

    private Hosts(Set<String> publicHosts) {
        this.publicHosts = Set.copyOf(publicHosts);
    }

    /** Loads a public-host list shipped next to {@code owner}. */
    public static Hosts load(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing next to " + owner.getName());
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Set<String> hosts = new LinkedHashSet<>();
            String line;
            while ((line = r.readLine()) != null) {
                String h = line.strip().toLowerCase(Locale.ROOT);
                if (!h.isEmpty() && !h.startsWith("#")) {
                    hosts.add(h);
                }
            }
            if (hosts.isEmpty()) {
                throw new IllegalStateException(resource + " lists no host");
            }
            return new Hosts(hosts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A list given in code (tests). */
    public static Hosts of(Collection<String> publicHosts) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String h : publicHosts) {
            hosts.add(h.toLowerCase(Locale.ROOT));
        }
        return new Hosts(hosts);
    }

    /** Host names in the text, most server-like first (URL or host:port, then mail-ish names). */
    public static List<String> extract(Text text) {
        if (!mayHoldHost(text.normalized())) {
            return List.of();
        }
        List<String> strong = new ArrayList<>();
        List<String> mailish = new ArrayList<>();
        List<String> other = new ArrayList<>();
        Matcher m = HOST.matcher(text.normalized());
        String s = text.normalized();
        while (m.find()) {
            String host = m.group(1).toLowerCase(Locale.ROOT);
            if (strong.contains(host) || mailish.contains(host) || other.contains(host)) {
                continue;
            }
            boolean url = m.start() >= 3 && s.startsWith("://", m.start() - 3);
            boolean port = m.end() < s.length() - 1 && s.charAt(m.end()) == ':' && Character.isDigit(s.charAt(m.end() + 1));
            if (url || port) {
                strong.add(host);
            } else if (MAILISH.matcher(host).matches()) {
                mailish.add(host);
            } else {
                other.add(host);
            }
        }
        List<String> out = new ArrayList<>(strong);
        out.addAll(mailish);
        out.addAll(other);
        return out;
    }

    /**
     * Whether {@link #HOST} can match at all: every match ends in a letter or digit, a dot and an ASCII
     * letter (the last label and the TLD). {@code HOST} backtracks through every word of the text (its
     * case-insensitive ranges are slow too), tens of microseconds for a long error line without any host
     * name, the usual case; this scan is one pass.
     */
    static boolean mayHoldHost(String s) {
        for (int i = s.indexOf('.', 1); i > 0 && i < s.length() - 1; i = s.indexOf('.', i + 1)) {
            if (isAsciiLetterOrDigit(s.charAt(i - 1)) && isAsciiLetter(s.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return isAsciiLetter(c) || c >= '0' && c <= '9';
    }

    /** Whether the host is one of the listed public hosts or under a listed parent domain. */
    public boolean isPublic(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String p : publicHosts) {
            if (h.equals(p) || h.endsWith("." + p)) {
                return true;
            }
        }
        return false;
    }

    /** The first public host among the given ones, or null. */
    public String firstPublic(Collection<String> hosts) {
        for (String h : hosts) {
            if (isPublic(h)) {
                return h;
            }
        }
        return null;
    }
}

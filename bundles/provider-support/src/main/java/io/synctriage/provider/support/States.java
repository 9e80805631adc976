package io.synctriage.provider.support;

import java.util.Locale;
import java.util.Set;

/** The account states of spec/api.md, grouped the way the checks reason about them. */
public final class States {

    private static final Set<String> HEALTHY = Set.of("running", "valid", "partial", "initializing", "downloading");
    private static final Set<String> FAILING = Set.of("stopped", "invalid", "invalid-credentials", "invalid_credentials",
            "sync-error", "sync_error", "exception");
    private static final Set<String> STOPPED = Set.of("stopped", "sync-error", "sync_error", "exception");

    private States() {
    }

    private static String norm(String state) {
        return state == null ? null : state.trim().toLowerCase(Locale.ROOT);
    }

    /** Running or on its way to it (a freshly re-authenticated account sits in partial/initializing). */
    public static boolean isHealthy(String state) {
        String s = norm(state);
        return s != null && HEALTHY.contains(s);
    }

    /** Stopped, invalid (any spelling), sync-error or exception. */
    public static boolean isFailing(String state) {
        String s = norm(state);
        return s != null && FAILING.contains(s);
    }

    /** Stopped without the credentials being declared invalid. */
    public static boolean isStopped(String state) {
        String s = norm(state);
        return s != null && STOPPED.contains(s);
    }
}

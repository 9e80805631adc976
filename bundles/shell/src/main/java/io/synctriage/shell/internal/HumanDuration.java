package io.synctriage.shell.internal;

/**
 * Durations as a support engineer says them: {@code 45 s}, {@code 10 min}, {@code 24 h}, {@code 36 h 30 min},
 * {@code 7 d}, {@code 90 d 12 h}. Hours are kept up to two days, because policies are stated in hours (a 24 h or
 * 36 h sign-in frequency); beyond that the two largest units are enough.
 */
final class HumanDuration {

    private static final long MINUTE = 60;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private HumanDuration() {
    }

    static String of(long seconds) {
        if (seconds < 0) {
            return "-" + of(seconds == Long.MIN_VALUE ? Long.MAX_VALUE : -seconds);
        }
        if (seconds < MINUTE) {
            return seconds + " s";
        }
        if (seconds < HOUR) {
            return two(seconds / MINUTE, "min", seconds % MINUTE, "s");
        }
        if (seconds < 2 * DAY) {
            return two(seconds / HOUR, "h", seconds % HOUR / MINUTE, "min");
        }
        return two(seconds / DAY, "d", seconds % DAY / HOUR, "h");
    }

    /** A period with its tolerance, e.g. {@code 24 h ± 10 min}; {@code -} when there is no period. */
    static String period(Long periodSeconds, Long toleranceSeconds) {
        if (periodSeconds == null) {
            return "-";
        }
        String period = of(periodSeconds);
        return toleranceSeconds == null || toleranceSeconds == 0 ? period : period + " ± " + of(toleranceSeconds);
    }

    private static String two(long major, String majorUnit, long minor, String minorUnit) {
        return minor == 0 ? major + " " + majorUnit : major + " " + majorUnit + " " + minor + " " + minorUnit;
    }
}

package io.synctriage.fleet.internal;

import java.time.Duration;

/** Human-readable durations for summaries ("89 s", "72 h 3 min", "7 d 0 h"): the engine's wording. */
final class Durations {

    private Durations() {
    }

    static String human(Duration d) {
        return human(d.getSeconds());
    }

    static String human(long seconds) {
        long s = Math.abs(seconds);
        if (s < 120) {
            return s + " s";
        }
        long min = s / 60;
        if (min < 120) {
            return min + " min";
        }
        long h = min / 60;
        long m = min % 60;
        if (h < 96) { // "72 h" reads better than "3 d" for session lengths
            return m == 0 ? h + " h" : h + " h " + m + " min";
        }
        long days = h / 24;
        long hh = h % 24;
        return hh == 0 && m == 0 ? days + " d" : days + " d " + hh + " h" + (m == 0 ? "" : " " + m + " min");
    }

    /** A period with its spread, e.g. "every 24 h ± 10 min". */
    static String period(long periodSeconds, Long toleranceSeconds) {
        return "every " + human(periodSeconds) + (toleranceSeconds == null ? "" : " ± " + human(toleranceSeconds));
    }
}

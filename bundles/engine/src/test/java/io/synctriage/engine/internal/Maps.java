package io.synctriage.engine.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: a JSON-object literal (insertion order kept) for hand-written evidence bundles. */
final class Maps {

    private Maps() {
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}

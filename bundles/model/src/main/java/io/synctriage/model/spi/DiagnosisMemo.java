package io.synctriage.model.spi;

import java.util.HashMap;
import java.util.Map;

/**
 * Scratch space of one diagnosis, for a provider check to keep work it would otherwise repeat: the
 * engine classifies some of the account's logged texts
 * ({@link ProviderCheck#classify(String, String, io.synctriage.model.Subject, DiagnosisMemo)}) before it
 * runs the check on the same evidence ({@link CheckContext#memo()}), and a check that reads the account's
 * logs meets those texts again.
 *
 * <p>What is kept, and under which keys, is the check's own business; keys should be of the check's own
 * classes and name the check's own data, so that two checks never read each other's entries. The engine
 * makes one memo per diagnosis and drops it with the diagnosis: nothing is kept from one diagnosis to the
 * next. Not thread-safe: one diagnosis runs on one thread.
 *
 * @since 1.2
 */
public final class DiagnosisMemo {

    /** Made on first use: most diagnoses keep nothing. */
    private Map<Object, Object> values;

    /** The value kept under {@code key}, or null. */
    public Object get(Object key) {
        return values == null ? null : values.get(key);
    }

    /** Keeps {@code value} under {@code key} (replacing what was kept there). */
    public void put(Object key, Object value) {
        if (values == null) {
            values = new HashMap<>();
        }
        values.put(key, value);
    }
}

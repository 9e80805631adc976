package io.synctriage.source.nylas.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** A {@link NylasConfig} as DS builds it: given properties (cfg names) over the annotation's defaults. */
final class Configs {

    private Configs() {
    }

    static NylasConfig config(Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return (NylasConfig) Proxy.newProxyInstance(NylasConfig.class.getClassLoader(),
                new Class<?>[] {NylasConfig.class}, (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    if (values.containsKey(key)) {
                        return values.get(key);
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}

package io.synctriage.model;

import java.util.List;

/**
 * A provider check bound right now.
 *
 * @param family  the provider family it serves
 * @param bundle  symbolic name of the bundle registering it
 * @param version that bundle's version
 * @param checks  names of the checks it runs
 */
public record ProviderInfo(String family, String bundle, String version, List<String> checks) {

    public ProviderInfo {
        checks = List.copyOf(checks);
    }
}

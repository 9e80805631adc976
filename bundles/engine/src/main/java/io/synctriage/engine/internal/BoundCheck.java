package io.synctriage.engine.internal;

import io.synctriage.model.spi.ProviderCheck;

/** A provider check bound right now, with the bundle that registered it. */
public record BoundCheck(ProviderCheck check, String bundle, String version) {
}

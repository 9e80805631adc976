package io.synctriage.model;

/**
 * Which provider checks took part in a diagnosis.
 *
 * @param provider the provider family id, or null when the account has no provider
 * @param bundle   symbolic name of the provider bundle consulted, or null when none is installed
 * @param version  its version, or null
 */
public record Checks(String provider, String bundle, String version) {
}

/**
 * Shared machinery of the provider checks, embedded (Private-Package) into each provider bundle
 * rather than deployed: the signature tables (knowledge as data, one row per code or string), a
 * matcher that tolerates case, surrounding noise and JSON-embedded text and compares numeric
 * codes as whole numbers, the look-back window with nearest-before-T selection, timing and peer
 * helpers, and the per-cause summary/remediation texts.
 */
package io.synctriage.provider.support;

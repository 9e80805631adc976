package io.synctriage.model;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.synctriage.model.spi.Match;

/**
 * Classifies one logged failure text with every provider check active now and the generic signals
 * (5xx, timeouts…): what the engine itself uses for S2/S3 refinement, offered to the fleet detectors
 * so that an incident and a diagnosis name the same cause for the same codes.
 *
 * @since 1.2
 */
@ProviderType
public interface FailureClassifier {

    /** The signatures found in {@code error}/{@code message} logged by {@code subject}, best first. */
    List<Match> classify(String error, String message, Subject subject);
}

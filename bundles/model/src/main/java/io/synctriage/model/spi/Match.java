package io.synctriage.model.spi;

import java.util.List;

import io.synctriage.model.Alternative;
import io.synctriage.model.Cause;

/**
 * A known signature found in one logged text.
 *
 * @param signature    what matched, as a person would name it (e.g. {@code AADSTS70043}, {@code EAS status 129})
 * @param cause        the cause it names, or null when it only tells the {@link ErrorKind}
 * @param kind         the kind of failure
 * @param specific     true for a specific provider code or string (precedence 3), false for a heuristic
 * @param confidence   in [0, 1]
 * @param alternatives other causes it may also mean
 */
public record Match(String signature, Cause cause, ErrorKind kind, boolean specific, double confidence,
                    List<Alternative> alternatives) {

    public Match {
        alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
    }
}

package io.synctriage.http.internal;

import java.util.Optional;
import java.util.Set;

/** Checks a user name and password against a user base. Implementations are thread-safe. */
interface CredentialsCheck {

    /**
     * @return the user's roles when the credentials are valid, empty when they are not (or cannot be
     *         checked right now: a missing realm must deny, never allow)
     */
    Optional<Set<String>> login(String user, String password);
}

package io.synctriage.model.spi;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import io.synctriage.model.ProviderFamily;
import io.synctriage.model.Subject;

/**
 * The knowledge of one provider family, implemented by a provider bundle and registered as an
 * OSGi service with the service property {@link #FAMILY_PROPERTY} set to the family id
 * ({@code microsoft}, {@code google}, {@code imap}, {@code eas}).
 *
 * <p>The engine tracks these services dynamically: a check may appear or vanish between two
 * diagnoses. Implementations must be thread-safe and pure (no I/O during a call): load tables
 * once at activation.
 */
@ConsumerType
public interface ProviderCheck {

    /** Service property naming the {@link ProviderFamily#id()} a check serves. */
    String FAMILY_PROPERTY = "synctriage.provider.family";

    /** The family this check serves. */
    ProviderFamily family();

    /** Names of the checks it runs, for {@code triage:providers}. */
    List<String> checkNames();

    /**
     * Classifies one logged failure text: an OAuth {@code error} field and/or a raw message (AADSTS
     * line, token-endpoint JSON, IMAP or EAS response). Used for the account's own logs and for the
     * failures of its peers (to refine a fleet pattern into a specific admin cause).
     *
     * @param error   the {@code error} field, or null
     * @param message the raw message, or null
     * @param subject the account or peer that logged it
     * @return the signatures found, best first; empty when none
     */
    List<Match> classify(String error, String message, Subject subject);

    /**
     * {@link #classify(String, String, Subject)} within a diagnosis: the same answer, and the check may
     * keep in {@code memo} what its {@link #check} of the same diagnosis would otherwise work out again
     * (the memo is the one of {@link CheckContext#memo()}). The default keeps nothing.
     *
     * @param memo the diagnosis's scratch space
     * @since 1.2
     */
    default List<Match> classify(String error, String message, Subject subject, DiagnosisMemo memo) {
        return classify(error, message, subject);
    }

    /**
     * Runs this provider's steps for the diagnosed account.
     *
     * @return trace steps (ids prefixed by the provider, e.g. {@code MS_AADSTS_CODE}) and findings
     */
    ProviderReport check(CheckContext context);
}

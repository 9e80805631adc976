package io.synctriage.model;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The diagnosis engine: evidence in, diagnosis out. Pure (no I/O) and thread-safe; consults the
 * provider checks bound at the moment of the call.
 */
@ProviderType
public interface Diagnoser {

    /**
     * Normalises a raw evidence bundle: the JSON tree of spec/api.md as plain Java values
     * ({@code Map}, {@code List}, {@code String}, {@code Number}, {@code Boolean}, {@code null}).
     *
     * @throws InvalidEvidenceException when {@code account.id} is missing or a field has the wrong type
     */
    Evidence normalize(Map<String, ?> bundle) throws InvalidEvidenceException;

    /** Runs the decision tree over normalised evidence. */
    Diagnosis diagnose(Evidence evidence);

    /** {@link #normalize(Map)} then {@link #diagnose(Evidence)}. */
    default Diagnosis diagnose(Map<String, ?> bundle) throws InvalidEvidenceException {
        return diagnose(normalize(bundle));
    }

    /** The provider checks bound right now, sorted by family. */
    List<ProviderInfo> providers();
}

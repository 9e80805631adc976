package io.synctriage.model;

/**
 * The evidence bundle cannot be used: a required field is missing or a field has the wrong type.
 * Surfaces turn it into a 400 with {@link #field()} and the message.
 */
public class InvalidEvidenceException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field   path of the field at fault, e.g. {@code account.id} or {@code api_log[3].timestamp}
     * @param message what was wrong, for a person
     */
    public InvalidEvidenceException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** Path of the field at fault. */
    public String field() {
        return field;
    }
}

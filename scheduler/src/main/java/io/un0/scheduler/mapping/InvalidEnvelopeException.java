package io.un0.scheduler.mapping;

/**
 * A Kafka envelope that parsed but cannot be used, with the field to blame. Its message is the dead letter's
 * reason: {@code "<field>: <what is wrong>"}.
 */
public final class InvalidEnvelopeException extends Exception {

    private final String field;

    public InvalidEnvelopeException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The envelope field at fault, as the contract names it ({@code quality.steps}). */
    public String field() {
        return field;
    }
}

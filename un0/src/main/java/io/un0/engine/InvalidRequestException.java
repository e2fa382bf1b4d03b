package io.un0.engine;

/**
 * A generation request that cannot be served as asked. {@link #field()} names the offending input, so that a
 * front end can map it to its own error (gRPC INVALID_ARGUMENT with the field, say).
 */
public class InvalidRequestException extends IllegalArgumentException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}

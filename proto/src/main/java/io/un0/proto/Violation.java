package io.un0.proto;

/** One thing wrong with a message a caller sent: the field's path as the proto names it, and what is wrong with it. */
public record Violation(String field, String description) {

    @Override
    public String toString() {
        return field + ": " + description;
    }
}

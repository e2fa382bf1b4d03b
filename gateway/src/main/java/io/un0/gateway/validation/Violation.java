package io.un0.gateway.validation;

/** One thing wrong with a request: the field's path as the proto names it, and what is wrong with it. */
public record Violation(String field, String description) {

    @Override
    public String toString() {
        return field + ": " + description;
    }
}

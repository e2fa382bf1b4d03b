package io.un0.scheduler.budget;

/** One thing wrong with a budget: the field as the proto names it, and what is wrong with it. */
public record Violation(String field, String description) {

    @Override
    public String toString() {
        return field + ": " + description;
    }
}

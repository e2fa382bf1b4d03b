package io.un0.scheduler.budget;

import io.un0.proto.Violation;
import java.util.List;
import java.util.stream.Collectors;

/** A budget the book refuses to write, with every field to blame. */
public class InvalidBudgetException extends IllegalArgumentException {

    private final List<Violation> violations;

    public InvalidBudgetException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}

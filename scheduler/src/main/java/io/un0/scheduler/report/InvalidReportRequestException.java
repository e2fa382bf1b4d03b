package io.un0.scheduler.report;

import io.un0.proto.Violation;
import java.util.List;
import java.util.stream.Collectors;

/** A report request with fields at fault, each named: answered INVALID_ARGUMENT with a BadRequest. */
public class InvalidReportRequestException extends IllegalArgumentException {

    private final List<Violation> violations;

    InvalidReportRequestException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}

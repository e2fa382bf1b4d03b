package io.un0.scheduler.report;

import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.Violation;
import io.un0.proto.v1.SustainabilityReportRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Whose jobs a report covers, over which period, in which steps: a request checked once.
 *
 * @param tenant empty for every tenant
 * @param step   the time series' step, a whole number of minutes
 */
public record ReportPeriod(String tenant, Instant from, Instant to, Duration step) {

    static final int MAX_STEPS = 1000;
    private static final int DEFAULT_STEPS = 24;
    private static final int MAX_TENANT_LENGTH = 200;

    /** @throws InvalidReportRequestException naming every field at fault */
    public static ReportPeriod of(SustainabilityReportRequest r) {
        List<Violation> violations = new ArrayList<>();
        if (r.getTenant().length() > MAX_TENANT_LENGTH) {
            violations.add(new Violation("tenant", "at most " + MAX_TENANT_LENGTH + " characters, got " + r.getTenant().length()));
        }
        Instant from = r.hasFrom() ? instant(r.getFrom().getSeconds(), r.getFrom().getNanos(), "from", violations) : null;
        Instant to = r.hasTo() ? instant(r.getTo().getSeconds(), r.getTo().getNanos(), "to", violations) : null;
        if (!r.hasFrom()) {
            violations.add(new Violation("from", "required: the start of the period"));
        }
        if (!r.hasTo()) {
            violations.add(new Violation("to", "required: the end of the period (exclusive)"));
        }
        Duration step = Duration.ZERO;
        if (from != null && to != null) {
            Duration span = Duration.between(from, to);
            if (span.isNegative() || span.isZero()) {
                violations.add(new Violation("to", "must be after from (" + from + "), got " + to));
            } else if (span.compareTo(MeshTopic.REPORTING_RETENTION) > 0) {
                violations.add(new Violation("to", "a period of at most " + MeshTopic.REPORTING_RETENTION.toDays()
                        + " days (how long the accounting records are kept), got " + span.toDays() + " days"));
            } else {
                step = step(r, span, violations);
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidReportRequestException(violations);
        }
        return new ReportPeriod(r.getTenant(), from, to, step);
    }

    /** The step asked for, or the period in {@value #DEFAULT_STEPS}, rounded up to whole minutes. */
    private static Duration step(SustainabilityReportRequest r, Duration span, List<Violation> violations) {
        if (!r.hasStep() || (r.getStep().getSeconds() == 0 && r.getStep().getNanos() == 0)) {
            long minutes = Math.max(1, (span.toSeconds() + DEFAULT_STEPS * 60L - 1) / (DEFAULT_STEPS * 60L));
            return Duration.ofMinutes(minutes);
        }
        Duration step = ProtoTime.duration(r.getStep());
        if (step.compareTo(Duration.ofMinutes(1)) < 0) {
            violations.add(new Violation("step", "at least a minute, got " + step));
        } else if (span.dividedBy(step) >= MAX_STEPS) {
            violations.add(new Violation("step", "at most " + MAX_STEPS + " steps in the period, got " + span.dividedBy(step) + " of " + step));
        }
        return step;
    }

    private static Instant instant(long seconds, int nanos, String field, List<Violation> violations) {
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (java.time.DateTimeException e) {
            violations.add(new Violation(field, "not a time: " + seconds + " s"));
            return null;
        }
    }

    /** How many steps the period takes. */
    int steps() {
        return (int) ((Duration.between(from, to).toNanos() + step.toNanos() - 1) / step.toNanos());
    }

    /** Whether a job of this tenant, written at {@code written}, is in the report. */
    boolean covers(String jobTenant, Instant written) {
        return !written.isBefore(from) && written.isBefore(to) && (tenant.isEmpty() || tenant.equals(jobTenant));
    }

    SustainabilityReportRequest toProto() {
        return SustainabilityReportRequest.newBuilder().setTenant(tenant).setFrom(ProtoTime.timestamp(from)).setTo(ProtoTime.timestamp(to))
                .setStep(ProtoTime.duration(step)).build();
    }
}

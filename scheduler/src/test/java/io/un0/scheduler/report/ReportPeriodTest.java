package io.un0.scheduler.report;

import io.un0.proto.ProtoTime;
import io.un0.proto.Violation;
import io.un0.proto.v1.SustainabilityReportRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReportPeriodTest {

    private static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");

    private static SustainabilityReportRequest.Builder request(Instant from, Instant to) {
        return SustainabilityReportRequest.newBuilder().setFrom(ProtoTime.timestamp(from)).setTo(ProtoTime.timestamp(to));
    }

    private static List<String> fieldsAtFault(SustainabilityReportRequest r) {
        return assertThrows(InvalidReportRequestException.class, () -> ReportPeriod.of(r)).violations().stream().map(Violation::field).toList();
    }

    @Test
    void withoutAStepThePeriodComesInTwentyFourWholeMinuteSteps() {
        ReportPeriod day = ReportPeriod.of(request(FROM, FROM.plus(Duration.ofDays(1))).build());
        assertEquals(Duration.ofHours(1), day.step());
        assertEquals(24, day.steps());
        ReportPeriod fiveMinutes = ReportPeriod.of(request(FROM, FROM.plus(Duration.ofMinutes(5))).build());
        assertEquals(Duration.ofMinutes(1), fiveMinutes.step());
        assertEquals(5, fiveMinutes.steps());
    }

    @Test
    void aStepThatDoesNotDivideThePeriodLeavesAShorterLastStep() {
        ReportPeriod p = ReportPeriod.of(request(FROM, FROM.plus(Duration.ofMinutes(150))).setStep(ProtoTime.duration(Duration.ofHours(1))).build());
        assertEquals(3, p.steps());
    }

    @Test
    void eachFieldAtFaultIsNamed() {
        assertEquals(List.of("from", "to"), fieldsAtFault(SustainabilityReportRequest.getDefaultInstance()));
        assertEquals(List.of("to"), fieldsAtFault(request(FROM, FROM).build()));
        assertEquals(List.of("to"), fieldsAtFault(request(FROM, FROM.plus(Duration.ofDays(401))).build()));
        assertEquals(List.of("step"), fieldsAtFault(request(FROM, FROM.plus(Duration.ofDays(1))).setStep(ProtoTime.duration(Duration.ofSeconds(30))).build()));
        assertEquals(List.of("step"), fieldsAtFault(request(FROM, FROM.plus(Duration.ofDays(30))).setStep(ProtoTime.duration(Duration.ofMinutes(1))).build()));
        assertEquals(List.of("tenant"), fieldsAtFault(request(FROM, FROM.plusSeconds(60)).setTenant("t".repeat(201)).build()));
    }
}

package io.un0.deploy.report;

import io.grpc.ManagedChannel;
import io.un0.proto.v1.FleetGrpc;
import io.un0.proto.v1.SustainabilityReport;
import io.un0.proto.v1.SustainabilityReportRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Asks the scheduler's Fleet service for a sustainability report, as an operator. */
public final class FleetReports {

    /** The scheduler reads for up to five minutes; a little more for the answer to come back. */
    private static final Duration DEADLINE = Duration.ofMinutes(6);

    private FleetReports() {
    }

    /**
     * Asks again, every half second up to {@code within}, while the report counts fewer than {@code atLeastImages}:
     * a result reaches its caller a moment before its accounting record may have been written.
     */
    public static SustainabilityReport fetch(ManagedChannel operator, SustainabilityReportRequest request, long atLeastImages, Duration within)
            throws InterruptedException {
        FleetGrpc.FleetBlockingStub fleet = FleetGrpc.newBlockingStub(operator);
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            SustainabilityReport report = fleet.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).getSustainabilityReport(request);
            if (report.getImages() >= atLeastImages || System.nanoTime() > deadline) {
                return report;
            }
            Thread.sleep(500);
        }
    }
}

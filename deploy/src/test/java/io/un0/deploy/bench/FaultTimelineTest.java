package io.un0.deploy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultTimelineTest {

    private static final long S = 1_000_000_000L;

    private static InteractiveProbe.Call call(double atSeconds, double millis, Status.Code code) {
        return new InteractiveProbe.Call((long) (atSeconds * S), millis, code);
    }

    private static FaultTimeline.Progress done(double atSeconds, int items) {
        return new FaultTimeline.Progress((long) (atSeconds * S), items);
    }

    @Test
    void aFaultIsMeasuredFromItsInjectionToTheLastFailedCallWithTheBatchsLongestStallBeside() {
        List<InteractiveProbe.Call> calls = List.of(
                call(0, 20, Status.Code.OK), call(1, 30, Status.Code.OK),
                // injected at 10 s: two calls fail, the last ends at 15.5 s; one is slow but served
                call(10.5, 5_000, Status.Code.DEADLINE_EXCEEDED), call(12, 3_500, Status.Code.UNAVAILABLE), call(16, 900, Status.Code.OK),
                call(17, 25, Status.Code.OK), call(40, 25, Status.Code.OK));
        List<FaultTimeline.Progress> progress = List.of(done(5, 3), done(9, 4), done(11, 5), done(19, 5), done(20, 6), done(25, 9), done(30, 10));
        FaultTimeline t = FaultTimeline.of(calls, progress, 10 * S, 30 * S);
        assertEquals(2, t.probeCallsBefore());
        assertEquals(4, t.probeCallsDuring(), "the call at 40 s came after the batch");
        assertEquals(Map.of("DEADLINE_EXCEEDED", 1, "UNAVAILABLE", 1), t.probeFailedDuring());
        assertEquals(9, t.longestStallSeconds(), 1e-9, "from 11 s, the batch next advanced at 20 s (19 s brought nothing new)");
        assertEquals(1, t.longestStallBeganAfterSeconds(), 1e-9);
        assertEquals(5.5, t.secondsToRecover(), 1e-9, "the last failed call ended at 15.5 s");
        assertEquals(5_000, t.probeP99MsDuring(), 1e-9, "a failed call counts at the time it took");
    }

    @Test
    void aFaultNoCallerNoticedTookNoTimeToRecoverFrom() {
        FaultTimeline t = FaultTimeline.of(List.of(call(11, 20, Status.Code.OK)), List.of(done(9, 3), done(12, 4)), 10 * S, 12 * S);
        assertEquals(Map.of(), t.probeFailedDuring());
        assertEquals(0, t.secondsToRecover(), 1e-9);
        assertEquals(2, t.longestStallSeconds(), 1e-9, "the batch still went on from the injection");
    }
}

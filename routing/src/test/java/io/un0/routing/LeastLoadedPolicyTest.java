package io.un0.routing;

import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.Precision;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import static io.un0.vocabulary.Precision.FP32;
import static io.un0.vocabulary.Precision.INT8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeastLoadedPolicyTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private final RoutingPolicy policy = new LeastLoadedPolicy();

    private static WorkerState worker(String name, String pool, String region, int queued, Instant seen, Precision... precisions) {
        Map<Precision, Rate> rates = Arrays.stream(precisions).collect(Collectors.toMap(p -> p, p -> new Rate(100, 0.1)));
        return new WorkerState(name, pool, "site-" + pool, region, DeviceClass.CPU, rates, 5, 5, 0, 32, queued, queued, queued, seen);
    }

    private static JobView job(int images, Set<Precision> precisions, Set<String> regions) {
        return JobView.interactive("j", images, 1, precisions, regions);
    }

    @Test
    void picksTheLeastLoadedPool() {
        Fleet fleet = new Fleet(Duration.ofSeconds(10));
        fleet.observe(worker("a1", "a", "ES", 20, T0, FP32, INT8));
        fleet.observe(worker("b1", "b", "NO", 4, T0, FP32, INT8));
        Route route = policy.route(job(2, Set.of(), Set.of()), fleet.snapshot(T0)).orElseThrow();
        assertEquals("b", route.pool());
        assertEquals(INT8, route.precision());
    }

    @Test
    void jobsSentSinceTheLastHeartbeatCountAgainstTheirPool() {
        Fleet fleet = new Fleet(Duration.ofSeconds(10));
        fleet.observe(worker("a1", "a", "ES", 0, T0, INT8));
        fleet.observe(worker("b1", "b", "NO", 8, T0, INT8));
        fleet.reserve("a", 24, 24, Urgency.BATCH, T0.plusMillis(10));
        assertEquals("b", policy.route(job(2, Set.of(), Set.of()), fleet.snapshot(T0.plusMillis(20))).orElseThrow().pool());
        assertEquals(24, fleet.snapshot(T0.plusMillis(20)).pools().get(0).queued());
        FleetView view = fleet.snapshot(T0.plusMillis(20)).reserve("b", 20, 20, Urgency.BATCH);
        assertEquals(28, view.pools().get(1).queued(), "a view counts what its own pass has sent");
        assertEquals(8, view.pools().get(1).urgentEvals(), 1e-9, "the batch in hand is ahead of an interactive job, the queued lane is not");
        assertEquals(0, fleet.snapshot(T0.plusMillis(20)).pools().get(0).urgentEvals(), 0, "a batch job in transit is not ahead of an interactive one");
        fleet.reserve("a", 4, 8, Urgency.INTERACTIVE, T0.plusMillis(25));
        assertEquals(8, fleet.snapshot(T0.plusMillis(26)).pools().get(0).urgentEvals(), 1e-9, "an interactive job sent to a is ahead of the next");
        fleet.observe(worker("a1", "a", "ES", 0, T0.plusMillis(30), INT8));
        assertEquals(0, fleet.snapshot(T0.plusMillis(40)).pools().get(0).queued(), "a later heartbeat has counted the reservation");
    }

    @Test
    void routesAroundAPoolWhoseHeartbeatsStopped() {
        Fleet fleet = new Fleet(Duration.ofSeconds(10));
        fleet.observe(worker("a1", "a", "ES", 0, T0, FP32));
        fleet.observe(worker("b1", "b", "NO", 16, T0.plusSeconds(30), FP32));
        FleetView later = fleet.snapshot(T0.plusSeconds(31));
        assertEquals(1, later.pools().size());
        assertEquals("b", policy.route(job(1, Set.of(), Set.of()), later).orElseThrow().pool());
    }

    @Test
    void aStaleHeartbeatDoesNotRollBackANewerOne() {
        Fleet fleet = new Fleet(Duration.ofSeconds(10));
        fleet.observe(worker("a1", "a", "ES", 3, T0.plusSeconds(5), FP32));
        fleet.observe(worker("a1", "a", "ES", 30, T0, FP32));
        assertEquals(3, fleet.snapshot(T0.plusSeconds(5)).pools().get(0).queued());
    }

    @Test
    void respectsResidencyPrecisionAndRoom() {
        Fleet fleet = new Fleet(Duration.ofSeconds(10));
        fleet.observe(worker("a1", "a", "ES", 0, T0, FP32));
        fleet.observe(worker("b1", "b", "NO", 30, T0, FP32, INT8));
        FleetView view = fleet.snapshot(T0);
        assertEquals("b", policy.route(job(2, Set.of(), Set.of("NO")), view).orElseThrow().pool());
        assertEquals("a", policy.route(job(1, Set.of(FP32), Set.of()), view).orElseThrow().pool());
        assertEquals(Optional.empty(), policy.route(job(4, Set.of(INT8), Set.of()), view), "b has room for 2, not 4");
        assertTrue(policy.route(job(1, Set.of(), Set.of("BR")), view).isEmpty());
    }

    @Test
    void poolsServeOnlyWhatAllTheirLiveWorkersServe() {
        Fleet fleet = new Fleet(Duration.ofSeconds(10));
        fleet.observe(worker("a1", "a", "ES", 0, T0, FP32, INT8));
        fleet.observe(worker("a2", "a", "ES", 0, T0, FP32));
        PoolView a = fleet.snapshot(T0).pools().get(0);
        assertEquals(Set.of(FP32), a.precisions());
        assertEquals(2, a.liveWorkers());
        assertEquals(64, a.capacity());
    }
}

package io.un0.routing;

import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.GridIntensity;
import io.un0.vocabulary.Sci;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static io.un0.vocabulary.Precision.FP32;
import static io.un0.vocabulary.Precision.INT8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CarbonBlindBaselineTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final double UNKNOWN = 900;

    private static WorkerState worker(String pool, String region, int queued) {
        // 100 evaluations a second at 0.1 J each, no idle draw, no embodied share: 0.1 J per evaluation however fast.
        return new WorkerState(pool + "-1", pool, "site-" + pool, region, DeviceClass.CPU, Map.of(INT8, new Rate(100, 0.1)), 0, 0, 0, 64,
                queued, queued, queued, T0);
    }

    private static FleetView fleet() {
        Fleet fleet = new Fleet(Duration.ofSeconds(10));
        fleet.observe(worker("dirty", "PL", 0));
        fleet.observe(worker("clean", "NO", 30));
        return fleet.snapshot(T0, PowerBudgets.NONE, Map.of("PL", new GridSignal("PL", GridIntensity.of(700, "test"), List.of()),
                "NO", new GridSignal("NO", GridIntensity.of(30, "test"), List.of())));
    }

    @Test
    void carbonBlindRoutingTakesTheLeastLoadedPoolAtTheRequestedStepsPricedOnItsGrid() {
        JobView job = JobView.interactive("j", 4, 8, Set.of(), Set.of());
        Option blind = CarbonBlindBaseline.of(job, fleet(), UNKNOWN).orElseThrow();
        assertEquals("dirty", blind.pool(), "the least-loaded pool, whatever its grid");
        assertEquals(8, blind.steps());
        assertEquals(INT8, blind.precision());
        assertEquals(Sci.operationalGrams(0.1 * 4 * 8, 700), blind.expectedGrams(), 1e-12);
        assertTrue(Double.isNaN(blind.expectedSeconds()));
    }

    @Test
    void aPrecisionThePoolDoesNotRunHasNoPrice() {
        assertTrue(Double.isNaN(fleet().price("clean", FP32, 1, 1, UNKNOWN).expectedGrams()));
        assertEquals(Sci.operationalGrams(0.1 * 2, 30), fleet().price("clean", INT8, 2, 1, UNKNOWN).expectedGrams(), 1e-12);
    }

    @Test
    void noPoolWithRoomNoBaseline() {
        assertTrue(CarbonBlindBaseline.of(JobView.interactive("j", 100, 1, Set.of(), Set.of()), fleet(), UNKNOWN).isEmpty());
    }
}

package io.un0.routing;

import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.GridIntensity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static io.un0.vocabulary.Precision.FP32;
import static io.un0.vocabulary.Precision.INT8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CarbonAwarePolicyTest {

    private static final Instant T0 = Instant.parse("2022-06-01T12:00:00Z");
    private final RoutingPolicy policy = new CarbonAwarePolicy(CarbonAwarePolicy.Settings.DEFAULT);

    /** A pool of 100 evals/s at 1 J/eval (100 W flat out), 10 W idle, room for 64 images. */
    private static PoolView pool(String name, String region, int queued) {
        return new PoolView(name, "site-" + name, region, DeviceClass.GPU, Map.of(INT8, new Rate(100, 1), FP32, new Rate(50, 3)),
                1, 64, queued, queued, queued, 10, 10, Double.POSITIVE_INFINITY, 0);
    }

    private static JobView job(int images, Urgency urgency, Instant deadline) {
        return new JobView("j", images, 1, 1, Set.of(), Set.of(), urgency, deadline);
    }

    private static Map<String, GridSignal> grid(double es, double no) {
        return Map.of("ES", GridSignal.now("ES", es, "test"), "NO", GridSignal.now("NO", no, "test"));
    }

    @Test
    void theGreenerRegionWinsAndTheAlternativesAreRecorded() {
        FleetView view = new FleetView(T0, List.of(pool("es", "ES", 0), pool("no", "NO", 0)), grid(200, 30));
        Route route = policy.route(job(4, Urgency.INTERACTIVE, Instant.MAX), view).orElseThrow();
        assertEquals("no", route.pool());
        assertEquals(INT8, route.precision(), "int8 costs a third of fp32 per evaluation here");
        assertEquals(4 * 1.0 * 30 / 3.6e6, route.expected().expectedGrams(), 1e-12);
        assertFalse(route.weighed().isEmpty());
        assertTrue(route.weighed().stream().allMatch(o -> o.expectedGrams() >= route.expected().expectedGrams()));
        assertFalse(route.defers(T0));
        assertEquals("es", policy.route(job(4, Urgency.INTERACTIVE, Instant.MAX), new FleetView(T0, view.pools(), grid(20, 30)))
                .orElseThrow().pool(), "and follows the signal when it turns");
    }

    @Test
    void aBudgetHolds() {
        // 10 W idle + 100 W flat out: a 10 W budget leaves no evaluation, 60 W half speed.
        PoolView green = pool("no", "NO", 0).withBudget(10);
        FleetView view = new FleetView(T0, List.of(pool("es", "ES", 0), green), grid(200, 30));
        Route route = policy.route(job(4, Urgency.INTERACTIVE, Instant.MAX), view).orElseThrow();
        assertEquals("es", route.pool());
        assertTrue(route.weighed().stream().anyMatch(o -> o.pool().equals("no") && o.rejectedBecause().equals("over budget")));
        assertEquals(50, pool("no", "NO", 0).withBudget(55).budgetedEvalsPerSecond(INT8), 1e-9);
        FleetView siteCapped = new FleetView(T0, new PowerBudgets(Map.of("site-no", 10.0), Map.of()).apply(view.pools()), view.grid());
        assertEquals("es", policy.route(job(4, Urgency.INTERACTIVE, Instant.MAX), siteCapped).orElseThrow().pool(), "a site cap binds its pools");
    }

    @Test
    void aDeadlineBeatsCarbon() {
        // The green pool has 200 evaluations queued: 2 s at 100/s; the deadline is 1 s away.
        FleetView view = new FleetView(T0, List.of(pool("es", "ES", 0), pool("no", "NO", 0).withQueued(40, 200)), grid(200, 30));
        Route route = policy.route(job(4, Urgency.INTERACTIVE, T0.plusSeconds(1)), view).orElseThrow();
        assertEquals("es", route.pool());
        assertTrue(route.weighed().stream().anyMatch(o -> o.pool().equals("no") && o.rejectedBecause().equals("misses deadline")));
        assertTrue(policy.route(job(4, Urgency.INTERACTIVE, T0.plusMillis(1)), view).isEmpty(), "no pool meets 1 ms: the caller sheds");
    }

    @Test
    void theQualityFloorHolds() {
        FleetView view = new FleetView(T0, List.of(pool("no", "NO", 0)), grid(200, 30));
        JobView fp32Only = new JobView("j", 2, 8, 4, Set.of(FP32), Set.of(), Urgency.INTERACTIVE, Instant.MAX);
        Route route = policy.route(fp32Only, view).orElseThrow();
        assertEquals(FP32, route.precision());
        assertEquals(4, route.steps(), "the fewest steps the floor allows, never fewer");
        JobView exact = JobView.interactive("j", 2, 8, Set.of(), Set.of());
        assertEquals(8, policy.route(exact, view).orElseThrow().steps(), "no floor below the asked steps: run them all");
    }

    @Test
    void residencyHolds() {
        FleetView view = new FleetView(T0, List.of(pool("es", "ES", 0), pool("no", "NO", 0)), grid(200, 30));
        JobView spainOnly = new JobView("j", 2, 1, 1, Set.of(), Set.of("ES"), Urgency.INTERACTIVE, Instant.MAX);
        assertEquals("es", policy.route(spainOnly, view).orElseThrow().pool());
        JobView brazil = new JobView("j", 2, 1, 1, Set.of(), Set.of("BR"), Urgency.INTERACTIVE, Instant.MAX);
        assertTrue(policy.route(brazil, view).isEmpty());
    }

    @Test
    void staleAndMissingSignalsAreHandled() {
        // No signal for ES: priced at the declared unknown intensity (1,000 g/kWh), so a known 300 g/kWh grid wins.
        FleetView unknownEs = new FleetView(T0, List.of(pool("es", "ES", 0), pool("no", "NO", 0)),
                Map.of("NO", GridSignal.now("NO", 300, "test")));
        assertEquals("no", policy.route(job(1, Urgency.INTERACTIVE, Instant.MAX), unknownEs).orElseThrow().pool());
        // A stale forecast holds no job: the figure in force still prices the options, but no one waits on it.
        GridSignal.Point cleanLater = new GridSignal.Point(T0.plus(Duration.ofHours(3)), Duration.ofHours(1), 5);
        Map<String, GridSignal> stale = Map.of("ES", new GridSignal("ES", new GridIntensity(200, "test", true), List.of(cleanLater)));
        FleetView view = new FleetView(T0, List.of(pool("es", "ES", 0)), stale);
        Route route = policy.route(job(1, Urgency.DEFERRABLE, T0.plus(Duration.ofHours(12))), view).orElseThrow();
        assertFalse(route.defers(T0));
        assertTrue(route.reason().contains("STALE"), route.reason());
    }

    @Test
    void aDeferrableJobWaitsForTheGreenestForecastHourWithinItsWindow() {
        List<GridSignal.Point> forecast = List.of(
                new GridSignal.Point(T0.plus(Duration.ofHours(2)), Duration.ofHours(1), 150),
                new GridSignal.Point(T0.plus(Duration.ofHours(5)), Duration.ofHours(1), 40),
                new GridSignal.Point(T0.plus(Duration.ofHours(11)), Duration.ofHours(1), 10));
        FleetView view = new FleetView(T0, List.of(pool("es", "ES", 0)), Map.of("ES", new GridSignal("ES", GridIntensity.of(200, "test"), forecast)));
        Route route = policy.route(job(8, Urgency.DEFERRABLE, T0.plus(Duration.ofHours(8))), view).orElseThrow();
        assertTrue(route.defers(T0));
        assertEquals(T0.plus(Duration.ofHours(5)), route.start(), "11:00 is past the latest start (deadline − 1 h margin)");
        assertEquals("es", route.weighed().get(0).pool(), "running now is on the record");
        assertFalse(policy.route(job(8, Urgency.INTERACTIVE, T0.plus(Duration.ofHours(8))), view).orElseThrow().defers(T0),
                "interactive work is never held");
    }

    @Test
    void deferrableWorkWaitsOutAGreenQueueRatherThanRunDearer() {
        // The green pool has 30 s of work queued (over the 20 s batch work may build); the other grid is 10 times dirtier.
        FleetView view = new FleetView(T0, List.of(pool("es", "ES", 0), pool("no", "NO", 0).withQueued(60, 3000)), grid(300, 30));
        JobView deferrable = job(4, Urgency.DEFERRABLE, T0.plus(Duration.ofHours(12)));
        assertTrue(policy.route(deferrable, view).isEmpty(), "held, to be asked again");
        assertEquals("no", policy.route(job(4, Urgency.DEFERRABLE, T0.plus(Duration.ofMinutes(30))), view).orElseThrow().pool(),
                "within its margin the queue limit is lifted: it joins the green queue");
        assertEquals("es", policy.route(job(4, Urgency.DEFERRABLE, T0.plus(Duration.ofHours(12))),
                new FleetView(T0, view.pools(), grid(31, 30))).orElseThrow().pool(), "not worth waiting for less than the minimum saving");
    }

    @Test
    void deferrableWorkRunsNowOnlyWithinTheHoursRoom() {
        // The green pool's hour is planned full with deferred work: a deferrable job runs in the other pool, not behind it.
        DeferralPlan fullHour = new DeferralPlan(T0, Map.of("no", new double[] {1000, 1000}, "es", new double[] {1000, 1000}),
                Map.of("no", new double[] {0, 1000}, "es", new double[] {1000, 1000}), 0);
        FleetView view = new FleetView(T0, List.of(pool("es", "ES", 0), pool("no", "NO", 0)), grid(35, 30)).withPlan(fullHour);
        Route route = policy.route(job(4, Urgency.DEFERRABLE, T0.plus(Duration.ofHours(12))), view).orElseThrow();
        assertEquals("es", route.pool());
        assertTrue(route.weighed().stream().anyMatch(o -> o.pool().equals("no") && o.rejectedBecause().equals("this hour's room taken")),
                route.weighed().toString());
        assertEquals("no", policy.route(job(4, Urgency.INTERACTIVE, Instant.MAX), view).orElseThrow().pool(), "interactive work is not planned by the hour");
    }

    @Test
    void deferrableWorkRunsNowWhereTheWorkExpectedNeedsTheSlotAnyway() {
        // Now 200 g/kWh, then 40 and 100: each hour holds 1,000 evaluations of deferred work.
        List<GridSignal.Point> forecast = List.of(new GridSignal.Point(T0.plus(Duration.ofHours(1)), Duration.ofHours(1), 40),
                new GridSignal.Point(T0.plus(Duration.ofHours(2)), Duration.ofHours(1), 100));
        FleetView fleet = new FleetView(T0, List.of(pool("es", "ES", 0)), Map.of("ES", new GridSignal("ES", GridIntensity.of(200, "test"), forecast)));
        Map<String, double[]> hours = Map.of("es", new double[] {1000, 1000, 1000});
        JobView deferrable = job(8, Urgency.DEFERRABLE, T0.plus(Duration.ofHours(8)));
        // 500 evaluations an hour over the three hours fit in the two greener ones: waiting pays.
        Route light = policy.route(deferrable, fleet.withPlan(new DeferralPlan(T0, hours, hours, 500))).orElseThrow();
        assertEquals(T0.plus(Duration.ofHours(1)), light.start());
        // 900 an hour need this hour too: what is held now for 40 g/kWh pushes later work into this very slot.
        Route heavy = policy.route(deferrable, fleet.withPlan(new DeferralPlan(T0, hours, hours, 900))).orElseThrow();
        assertFalse(heavy.defers(T0), heavy.reason());
        assertEquals("es", heavy.pool());
    }

    @Test
    void batchWorkLeavesRoomForInteractiveWork() {
        // 64 images of room, 40 queued: 24 left, under the half kept for interactive work (what 100 evals/s run in 5 s, at most 32).
        FleetView view = new FleetView(T0, List.of(pool("es", "ES", 0), pool("no", "NO", 0).withQueued(40, 40)), grid(300, 30));
        Route batch = policy.route(job(4, Urgency.BATCH, T0.plus(Duration.ofHours(12))), view).orElseThrow();
        assertEquals("es", batch.pool());
        assertTrue(batch.weighed().stream().anyMatch(o -> o.pool().equals("no") && o.rejectedBecause().equals("queue kept short for interactive work")));
        assertEquals("no", policy.route(job(4, Urgency.INTERACTIVE, Instant.MAX), view).orElseThrow().pool());
    }
}

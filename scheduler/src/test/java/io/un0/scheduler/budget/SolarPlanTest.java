package io.un0.scheduler.budget;

import io.un0.proto.ProtoTime;
import io.un0.proto.v1.BudgetScope;
import io.un0.proto.v1.PowerBudget;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SolarPlanTest {

    private static final Instant STARTED = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant TRACE_START = Instant.parse("2022-06-08T00:00:00Z");

    private record Config(Map<String, SolarConfig.Site> sites, Instant replayStart, double speed, Optional<Path> trace)
            implements SolarConfig {
    }

    private record Site(double panelWatts, String location, double batteryWatts) implements SolarConfig.Site {
    }

    private static Config config(Map<String, SolarConfig.Site> sites, double speed) throws Exception {
        return new Config(sites, TRACE_START, speed, Optional.of(SolarTraceTest.fixture()));
    }

    @Test
    void offWithoutSites() throws Exception {
        assertEquals(Optional.empty(), SolarPlan.load(new Config(Map.of(), TRACE_START, 1, Optional.empty()), Optional.empty(), STARTED));
    }

    @Test
    void sitesWithoutATraceStopTheStartWithTheFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SolarPlan.load(
                new Config(Map.of("roof", new Site(1000, "Berlin", 0)), TRACE_START, 1, Optional.empty()), Optional.empty(), STARTED));
        assertTrue(e.getMessage().contains("[roof]") && e.getMessage().contains("../shared/data")
                && e.getMessage().contains("un0.scheduler.solar.trace"), e.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> SolarPlan.load(
                new Config(Map.of("roof", new Site(1000, "Berlin", 0)), TRACE_START, 1, Optional.empty()),
                Optional.of(Path.of("/nonexistent/shared/data")), STARTED));
        assertTrue(missing.getMessage().contains("/nonexistent/shared/data/solar/solcast2022_global_actual.csv"), missing.getMessage());
    }

    @Test
    void budgetIsTheFloorPlusThePanelsShareEveryFiveReplayedMinutes() throws Exception {
        SolarPlan plan = SolarPlan.load(config(Map.of("roof-a", new Site(2000, "Alpha Town", 50), "roof-b", new Site(100, "Beta", 0)), 60),
                Optional.empty(), STARTED).orElseThrow();
        assertEquals(Duration.ofSeconds(5), plan.period(), "five replayed minutes at 60×");
        assertEquals(TRACE_START.plusSeconds(450), plan.replayed(STARTED.plusMillis(7_500)));

        List<PowerBudget> atStart = plan.budgetsAt(STARTED);
        assertEquals(List.of("roof-a", "roof-b"), atStart.stream().map(PowerBudget::getName).toList());
        PowerBudget a = atStart.get(0);
        assertEquals(BudgetScope.BUDGET_SCOPE_SITE, a.getScope());
        assertEquals(50.0, a.getWatts(), "night: only the floor");
        assertEquals("solar:Alpha Town", a.getSetBy());
        assertEquals(STARTED, ProtoTime.instant(a.getUpdated()));
        assertTrue(a.getReason().contains("Alpha Town") && a.getReason().contains("2022-06-08T00:00:00Z"), a.getReason());
        assertEquals(50.0, atStart.get(1).getWatts(), "0.5 of 100 W");

        // 10 real seconds at 60× is 10 replayed minutes: the third period, Alpha at full sun.
        assertEquals(2050.0, plan.budgetsAt(STARTED.plusSeconds(10)).get(0).getWatts());
        // 20 replayed minutes is past the 20-minute trace: it begins again.
        assertEquals(50.0, plan.budgetsAt(STARTED.plusSeconds(20)).get(0).getWatts());
        assertTrue(plan.budgetsAt(STARTED).stream().allMatch(b -> BudgetRules.budget(b).isEmpty()), "what the book accepts");
    }

    @Test
    void badSettingsNameTheirKey() {
        assertBad(Map.of("Roof", new Site(100, "Beta", 0)), 1, "un0.scheduler.solar.sites.Roof: the site");
        assertBad(Map.of("roof", new Site(0, "Beta", 0)), 1, "un0.scheduler.solar.sites.roof.panel-watts is 0.0");
        assertBad(Map.of("roof", new Site(100, "Beta", -1)), 1, "un0.scheduler.solar.sites.roof.battery-watts is -1.0");
        assertBad(Map.of("roof", new Site(9e6, "Beta", 2e6)), 1, "above the 10 MW");
        assertBad(Map.of("roof", new Site(100, "Berlin", 0)), 1, "un0.scheduler.solar.sites.roof.location:");
        assertBad(Map.of("roof", new Site(100, "Beta", 0)), 0, "un0.scheduler.solar.speed is 0.0");
        assertBad(Map.of("roof", new Site(100, "Beta", 0)), 7200, "at most 3600");
        IllegalArgumentException late = assertThrows(IllegalArgumentException.class, () -> SolarPlan.load(new Config(
                Map.of("roof", new Site(100, "Beta", 0)), Instant.parse("2022-06-09T00:00:00Z"), 1, Optional.of(SolarTraceTest.fixture())),
                Optional.empty(), STARTED));
        assertTrue(late.getMessage().contains("replay-start 2022-06-09T00:00:00Z is outside the trace of Beta"), late.getMessage());
    }

    private static void assertBad(Map<String, SolarConfig.Site> sites, double speed, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SolarPlan.load(config(sites, speed), Optional.empty(), STARTED));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

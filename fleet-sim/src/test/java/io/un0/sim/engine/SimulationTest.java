package io.un0.sim.engine;

import io.un0.routing.CarbonAwarePolicy;
import io.un0.routing.LeastLoadedPolicy;
import io.un0.sim.baseline.CarbonGreedy;
import io.un0.sim.scenario.Scenario;
import io.un0.sim.scenario.Traces;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator on a fixture of our own: two regions, one much greener, a day of traffic, a budget on the green site. */
class SimulationTest {

    private static Path resource(String name) throws Exception {
        return Path.of(SimulationTest.class.getResource("/" + name).toURI());
    }

    private static RunResult run(Simulation.Contender contender) throws Exception {
        Scenario scenario = Scenario.read(resource("two-regions.json"));
        Traces traces = Traces.load(scenario, resource("traces"));
        return new Simulation(scenario, traces, new Forecaster(traces)).run(contender);
    }

    private static Simulation.Contender ours() {
        return new Simulation.Contender("ours", new CarbonAwarePolicy(CarbonAwarePolicy.Settings.DEFAULT), true);
    }

    @Test
    void aSeedGivesTheSameRunEveryTime() throws Exception {
        RunResult a = run(ours());
        RunResult b = run(ours());
        assertEquals(a.jobs(), b.jobs());
        assertEquals(a.images(), b.images());
        assertEquals(a.gramsPerImage(), b.gramsPerImage());
        assertEquals(a.joulesPerImage(), b.joulesPerImage());
        assertEquals(a.deferrals(), b.deferrals());
        assertEquals(a.interactiveP99Seconds(), b.interactiveP99Seconds());
        assertArrayEquals(a.shedByUrgency(), b.shedByUrgency());
        assertArrayEquals(a.lateByUrgency(), b.lateByUrgency());
        assertTrue(a.jobs() > 1000, "a day of traffic: " + a.jobs());
    }

    @Test
    void oursEmitsLessThanCarbonBlindRoutingAndKeepsTheBudgetAndTheDeadlines() throws Exception {
        RunResult ours = run(ours());
        RunResult leastLoaded = run(new Simulation.Contender("least-loaded", new LeastLoadedPolicy(), false));
        RunResult greedy = run(new Simulation.Contender("carbon-greedy", new CarbonGreedy(), false));
        assertTrue(ours.gramsPerImage() < 0.8 * leastLoaded.gramsPerImage(), ours + " vs " + leastLoaded);
        assertEquals(0, ours.budgetViolations(), "the green site's cap holds");
        assertTrue(greedy.budgetViolations() > 0, "a budget-blind router runs the capped site flat out");
        assertTrue(ours.deadlinesMet() >= 0.99, "deadlines met " + ours.deadlinesMet() + ", shed " + Arrays.toString(ours.shedByUrgency()));
        assertTrue(ours.deferrals() > 0, "deferrable work waits for greener hours");
        assertEquals(leastLoaded.images() + imagesShed(leastLoaded), ours.images() + imagesShed(ours), "both saw the same workload");
    }

    private static long imagesShed(RunResult r) {
        return r.shed() * 8;
    }
}

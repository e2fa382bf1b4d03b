package io.un0.sim.scenario;

import io.un0.carbon.TraceFolders;
import io.un0.routing.CarbonAwarePolicy;
import io.un0.sim.engine.Forecaster;
import io.un0.sim.engine.RunResult;
import io.un0.sim.engine.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What users give the simulator: other dates, other zones, other trace layouts. */
class TracesTest {

    private static Path resource(String name) throws Exception {
        return Path.of(TracesTest.class.getResource("/" + name).toURI());
    }

    private static Path scenario(Path dir, String from, String to) throws Exception {
        Path file = dir.resolve("s.json");
        Files.writeString(file, Files.readString(resource("two-regions.json")).replace(from, to));
        return file;
    }

    @Test
    void aMissingTraceIsNamedWithTheSpanTheScenarioNeeds(@TempDir Path dir) throws Exception {
        // A 2 January start looks back into 2021, whose exports the fixture folder does not have.
        Scenario s = Scenario.read(scenario(dir, "\"2022-03-02T00:00:00Z\"", "\"2022-01-01T12:00:00Z\""));
        IOException e = assertThrows(IOException.class, () -> Traces.load(s, resource("traces")));
        assertTrue(e.getMessage().contains("region AA") && e.getMessage().contains("AA_2021_hourly.csv")
                && e.getMessage().contains("AA_2022_hourly.csv") && e.getMessage().contains("intensity.files"), e.getMessage());
    }

    @Test
    void aRegionNamesItsOwnTraceOfATimeAndAFigureAtAnyStep(@TempDir Path dir) throws Exception {
        // Zone BB replaced by a zone no export has, recorded every 15 minutes as "Time,Carbon Intensity".
        Path trace = dir.resolve("zz.csv");
        List<String> rows = new ArrayList<>(List.of("Time,Carbon Intensity"));
        Instant t = Instant.parse("2022-03-01T00:00:00Z");
        for (int i = 0; i < 4 * 24 * 3; i++) {
            rows.add(t.plus(Duration.ofMinutes(15L * i)) + "," + (i % 4 == 0 ? 100 : 200));
        }
        Files.write(trace, rows);
        String json = Files.readString(resource("two-regions.json")).replace("\"BB\"", "\"ZZ-TEST\"")
                .replace("\"folder\": \"carbon/electricitymaps\"", "\"folder\": \"carbon/electricitymaps\", \"files\": {\"ZZ-TEST\": \"" + trace + "\"}");
        Path file = dir.resolve("zz.json");
        Files.writeString(file, json);
        Traces traces = Traces.load(Scenario.read(file), resource("traces"));
        assertEquals(175, traces.intensity("ZZ-TEST", 3600), 1e-9, "the hour's mean of its four quarter hours");
        assertTrue(traces.describe().contains("zz.csv"), traces.describe());
    }

    @Test
    void solarBudgetsFollowTheSunAfterTheScenarioEnds() throws Exception {
        Path data = TraceFolders.sharedData().orElse(null);
        assumeTrue(data != null, "../shared/data is absent: the recorded traces cannot be read here");
        Scenario s = Scenario.read(Path.of("scenarios/tuning/reference-2022.json"));
        Traces traces = Traces.load(s, data);
        double end = Duration.between(s.start(), s.end()).toSeconds();
        // Stockholm: near dark at midnight UTC when the scenario ends, well lit by 08:00 UTC in the drain that follows.
        assertTrue(traces.solar("edge-no", end + 8 * 3600) > 2 * traces.solar("edge-no", end - 60) + 0.1,
                "the drain sees the morning: " + traces.solar("edge-no", end - 60) + " then " + traces.solar("edge-no", end + 8 * 3600));
    }

    @Test
    void aWinterWindowAcrossNewYearRunsOnTheRecordedTraces(@TempDir Path dir) throws Exception {
        Path data = TraceFolders.sharedData().orElse(null);
        assumeTrue(data != null, "../shared/data is absent: the recorded traces cannot be read here");
        String json = Files.readString(Path.of("scenarios/tuning/reference-2022.json"))
                .replace("\"2022-06-08T00:00:00Z\"", "\"2021-12-31T20:00:00Z\"").replace("\"2022-07-06T00:00:00Z\"", "\"2022-01-01T02:00:00Z\"");
        Path file = dir.resolve("winter.json");
        Files.writeString(file, json);
        Scenario s = Scenario.read(file);
        Traces traces = Traces.load(s, data);
        assertTrue(traces.describe().contains("2021+2022") && traces.describe().contains("same UTC time"), traces.describe());
        RunResult ours = new Simulation(s, traces, new Forecaster(traces))
                .run(new Simulation.Contender("ours", new CarbonAwarePolicy(CarbonAwarePolicy.Settings.DEFAULT), true));
        assertEquals(0, ours.budgetViolations());
        assertTrue(ours.jobs() > 1000, "six hours of traffic: " + ours.jobs());
    }
}

package io.un0.sim.engine;

import io.un0.routing.GridSignal;
import io.un0.sim.scenario.Scenario;
import io.un0.sim.scenario.Traces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The persistence forecast: a week's diurnal profile, shifted by today's departure from it, made from the past alone. */
class ForecasterTest {

    private static final Instant TRACE_START = Instant.parse("2022-03-01T00:00:00Z");
    private static final Instant SCENARIO_START = Instant.parse("2022-03-02T00:00:00Z");

    private static final double FADE = 24;

    @TempDir
    static Path dir;
    static Traces traces;

    /** Each day 10 g/kWh dirtier than the one before; the afternoon 200 above the morning. */
    private static double recorded(int day, int hour) {
        return 100 + 10 * day + (hour >= 12 ? 200 : 0);
    }

    @BeforeAll
    static void traces() throws Exception {
        List<String> rows = new ArrayList<>(List.of("Time,Carbon Intensity"));
        for (int h = 0; h < 24 * 12; h++) {
            rows.add(TRACE_START.plus(Duration.ofHours(h)) + "," + recorded(h / 24, h % 24));
        }
        Path trace = dir.resolve("zz.csv");
        Files.write(trace, rows);
        String json = Files.readString(Path.of(ForecasterTest.class.getResource("/two-regions.json").toURI()))
                .replace("\"AA\"", "\"ZZ-TEST\"").replace("\"BB\"", "\"ZZ-TEST\"")
                .replace("\"2022-03-03T00:00:00Z\"", "\"2022-03-11T00:00:00Z\"")
                .replace("\"folder\": \"carbon/electricitymaps\"", "\"folder\": \"carbon/electricitymaps\", \"files\": {\"ZZ-TEST\": \"" + trace + "\"}");
        Path file = dir.resolve("zz.json");
        Files.writeString(file, json);
        traces = Traces.load(Scenario.read(file), Path.of(ForecasterTest.class.getResource("/traces").toURI()));
    }

    private static double forecast(double seconds, int hoursAhead) {
        GridSignal signal = new Forecaster(traces, Forecaster.Kind.PERSISTENCE, new Forecaster.Persistence(7, FADE)).signal("ZZ-TEST", seconds, SCENARIO_START.plusSeconds((long) seconds), hoursAhead);
        return signal.forecast().get(hoursAhead - 1).gramsPerKwh();
    }

    @Test
    void aWeekIntoTheScenarioTheProfileIsTheLastSevenDaysMean() {
        // 10 March 00:00, trace day 9: the profile averages days 2..8 (mean day 5); now is 40 above it, a shift that fades.
        double seconds = 8 * 86_400.0;
        double profileAfternoon = 100 + 10 * 5 + 200;
        assertEquals(profileAfternoon + 40 * Math.exp(-12 / FADE), forecast(seconds, 12), 1e-9);
        assertEquals(100 + 10 * 5 + 40 * Math.exp(-1 / FADE), forecast(seconds, 1), 1e-9);
    }

    @Test
    void atTheStartOnlyTheDaysRecordedBeforeItAreAveraged() {
        // The scenario's first hour has one recorded day behind it: yesterday alone is the profile, now is 10 above it.
        assertEquals(100 + 200 + 10 * Math.exp(-12 / FADE), forecast(0, 12), 1e-9);
        // Three days in, three days behind it (the look-back day and two of the scenario's).
        assertEquals(100 + 10 * 1 + 200 + 20 * Math.exp(-12 / FADE), forecast(2 * 86_400.0, 12), 1e-9);
    }
}

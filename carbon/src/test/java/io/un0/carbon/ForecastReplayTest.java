package io.un0.carbon;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forecasts only as they were known at decision time; the recorded CAISO trace where ../shared/data is present. */
class ForecastReplayTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aDecisionSeesOnlyForecastsIssuedByThen() throws Exception {
        IntensityForecast forecasts = WattTimeCsv.forecasts(fixture("forecast.csv"), "CAISO_NORTH");
        List<IntensitySignal> at4 = forecasts.forecast("CAISO_NORTH", T0.plusSeconds(240), Duration.ofMinutes(30));
        assertEquals(List.of(400.0, 410.0, 420.0), at4.stream().map(IntensitySignal::gramsPerKwh).toList(),
                "at 00:04 only the forecast issued at 00:00 exists");
        List<IntensitySignal> at5 = forecasts.forecast("CAISO_NORTH", T0.plusSeconds(300), Duration.ofMinutes(30));
        assertEquals(List.of(300.0, 310.0), at5.stream().map(IntensitySignal::gramsPerKwh).toList(), "the newer forecast, future points only");
        assertEquals(1, forecasts.forecast("CAISO_NORTH", T0, Duration.ofMinutes(5)).size(), "within the horizon");
        assertThrows(SignalUnavailableException.class, () -> forecasts.forecast("CAISO_NORTH", T0.minusSeconds(1), Duration.ofHours(1)));
        assertThrows(SignalUnavailableException.class, () -> forecasts.forecast("ES", T0, Duration.ofHours(1)));
    }

    @Test
    void aBrokenRowIsNamed() {
        IOException e = assertThrows(IOException.class, () -> WattTimeCsv.actuals(fixture("actual-broken.csv"), "CAISO_NORTH"));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void theRecordedCaisoTraceReplaysInFiveMinuteSteps() throws Exception {
        Path data = TraceFolders.sharedData().orElse(null);
        Assumptions.assumeTrue(data != null, "../shared/data is absent (a user's clone): skipping the recorded-trace check");
        Path folder = data.resolve("carbon/watttime-caiso");
        TraceReplay actuals = WattTimeCsv.actuals(folder.resolve("watttime2023_caiso-north_actual.csv"), "CAISO_NORTH");
        assertTrue(actuals.size("CAISO_NORTH") > 8000, "a month in 5-minute steps");
        Instant noon = Instant.parse("2023-06-20T12:02:00Z");
        assertEquals(Instant.parse("2023-06-20T12:00:00Z"), actuals.current("CAISO_NORTH", noon).validFrom());
        IntensityForecast forecasts = WattTimeCsv.forecasts(folder.resolve("watttime2023_caiso-north_forecast.csv"), "CAISO_NORTH");
        List<IntensitySignal> hour = forecasts.forecast("CAISO_NORTH", noon, Duration.ofHours(1));
        assertEquals(12, hour.size(), "every 5 minutes of the next hour");
        assertTrue(hour.stream().allMatch(s -> s.validFrom().isAfter(noon) && s.source().contains("issued 2023-06-20T12:00:00Z")));
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ForecastReplayTest.class.getResource("/" + name).toURI());
    }
}

package io.un0.carbon;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sources on fixtures of our own making; the real traces where ../shared/data is present. */
class CarbonSourcesTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void staticFiguresAreGivenByRegion() throws Exception {
        StaticIntensity declared = new StaticIntensity(Map.of("ES", 180.0), "declared");
        assertEquals(180.0, declared.current("ES", T0).gramsPerKwh());
        assertTrue(assertThrows(SignalUnavailableException.class, () -> declared.current("NO", T0)).getMessage().contains("NO"));
    }

    @Test
    void aReplayGivesOnlyWhatWasKnownThen() throws Exception {
        TraceReplay replay = new TraceReplay(Duration.ofHours(2), "fixture");
        ElectricityMapsExport.read(fixture("TL_2030_hourly.csv"), ElectricityMapsExport.Basis.LCA, replay);
        assertEquals(3, replay.size("TL"));
        assertEquals(150.25, replay.current("TL", T0.plusSeconds(1800)).gramsPerKwh(), "within the first hour");
        assertEquals(140.0, replay.current("TL", T0.plusSeconds(3600)).gramsPerKwh(), "the second hour from its first instant");
        assertThrows(SignalUnavailableException.class, () -> replay.current("TL", T0.minusSeconds(1)), "nothing before the trace");
        assertThrows(SignalUnavailableException.class, () -> replay.current("TL", T0.plus(Duration.ofHours(5))), "a gap is a gap");

        TraceReplay direct = new TraceReplay(Duration.ofHours(2), "fixture");
        ElectricityMapsExport.read(fixture("TL_2030_hourly.csv"), ElectricityMapsExport.Basis.DIRECT, direct);
        assertEquals(100.5, direct.current("TL", T0).gramsPerKwh());
    }

    @Test
    void aBrokenExportIsNamedByFileAndLine() throws Exception {
        IOException e = assertThrows(IOException.class,
                () -> ElectricityMapsExport.read(fixture("broken.csv"), ElectricityMapsExport.Basis.LCA, new TraceReplay(Duration.ofHours(1), "x")));
        assertTrue(e.getMessage().contains("broken.csv line 2"), e.getMessage());
        IOException noColumn = assertThrows(IOException.class,
                () -> ElectricityMapsExport.read(fixture("broken.csv"), ElectricityMapsExport.Basis.DIRECT, new TraceReplay(Duration.ofHours(1), "x")));
        assertTrue(noColumn.getMessage().contains("(direct)"), noColumn.getMessage());
    }

    @Test
    void aCurrentPortalExportReadsByMeaningAcrossAYearBoundary() throws Exception {
        // Byte-order mark, quoted fields with commas inside, "Zone id" and "(Life cycle)" as today's portal writes them.
        Path folder = fixture("years");
        TraceReplay replay = ElectricityMapsExport.zone(folder, "TL", T0.minus(Duration.ofHours(2)), T0.plus(Duration.ofHours(3)),
                ElectricityMapsExport.Basis.LCA);
        assertEquals(5, replay.size("TL"), "two hours of 2029 and three of 2030");
        assertEquals(125, replay.current("TL", T0.minusSeconds(1)).gramsPerKwh());
        assertEquals(150.25, replay.current("TL", T0).gramsPerKwh());
        TraceReplay direct = ElectricityMapsExport.zone(folder, "TL", T0.minus(Duration.ofHours(2)), T0, ElectricityMapsExport.Basis.DIRECT);
        assertEquals(95, direct.current("TL", T0.minusSeconds(1)).gramsPerKwh());

        IOException missing = assertThrows(IOException.class, () -> ElectricityMapsExport.zone(folder, "TL", T0.minus(Duration.ofDays(400)), T0,
                ElectricityMapsExport.Basis.LCA));
        assertTrue(missing.getMessage().contains("TL_2028_hourly.csv") && missing.getMessage().contains("TL_2029_hourly.csv, TL_2030_hourly.csv"),
                "names the missing year and what the folder has: " + missing.getMessage());
    }

    @Test
    void aTimeAndOneFigureAtAnyStepIsAveragedOverTheHour() throws Exception {
        TraceReplay replay = IntensitySeriesCsv.read(fixture("series-15min.csv"), "XX", "fixture");
        assertEquals(250, replay.mean("XX", T0, T0.plus(Duration.ofHours(1))), 1e-9, "four quarter hours");
        assertEquals(200, replay.current("XX", T0.plusSeconds(1000)).gramsPerKwh());
        assertEquals(500, replay.mean("XX", T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofMinutes(90))), 1e-9);
        assertThrows(SignalUnavailableException.class, () -> replay.mean("XX", T0, T0.plus(Duration.ofHours(3))),
                "the last figure holds for three of its steps, not two hours");
    }

    @Test
    void aFailingSourceFallsBackToItsLastGoodFigureThenToTheDefaultFlaggedStale() throws Exception {
        TraceReplay trace = new TraceReplay(Duration.ofHours(1), "trace").add("ES", T0, 200);
        FallbackIntensity source = new FallbackIntensity(trace, new StaticIntensity(Map.of("ES", 250.0, "NO", 30.0), "declared"));
        IntensitySignal live = source.current("ES", T0.plusSeconds(60));
        assertFalse(live.stale());
        IntensitySignal old = source.current("ES", T0.plus(Duration.ofHours(3)));
        assertTrue(old.stale());
        assertEquals(200, old.gramsPerKwh(), "the last good figure");
        IntensitySignal declared = source.current("NO", T0);
        assertTrue(declared.stale());
        assertEquals(30, declared.gramsPerKwh(), "never a live figure for NO: the declared one");
        assertThrows(SignalUnavailableException.class, () -> source.current("BR", T0), "no figure anywhere");
    }

    @Test
    void theRecordedTracesOfFourRegionsRankAsPublished() throws Exception {
        Path data = TraceFolders.sharedData().orElse(null);
        Assumptions.assumeTrue(data != null, "../shared/data is absent (a user's clone): skipping the real-trace check");
        TraceReplay replay = ElectricityMapsExport.folder(data.resolve("carbon/electricitymaps"), 2022, ElectricityMapsExport.Basis.LCA);
        double[] mean = new double[4];
        String[] regions = {"NO", "BR", "ES", "US-CAL-CISO"};
        for (int r = 0; r < regions.length; r++) {
            assertEquals(8760, replay.size(regions[r]), regions[r]);
            double sum = 0;
            for (int h = 0; h < 8760; h++) {
                sum += replay.current(regions[r], Instant.parse("2022-01-01T00:00:00Z").plus(Duration.ofHours(h))).gramsPerKwh();
            }
            mean[r] = sum / 8760;
        }
        assertTrue(mean[0] < mean[1] && mean[1] < mean[2] && mean[2] < mean[3],
                "NO < BR < ES < US-CAL-CISO by yearly mean: " + java.util.Arrays.toString(mean));
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(CarbonSourcesTest.class.getResource("/" + name).toURI());
    }
}

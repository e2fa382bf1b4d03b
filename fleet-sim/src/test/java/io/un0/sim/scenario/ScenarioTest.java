package io.un0.sim.scenario;

import io.un0.carbon.TraceFolders;
import io.un0.vocabulary.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ScenarioTest {

    private static final Path REFERENCE = Path.of("scenarios/tuning/reference-2022.json");

    @Test
    void theReferenceScenarioIsTheIssuesShape() throws IOException {
        Scenario s = Scenario.read(REFERENCE);
        assertEquals(java.util.List.of("BR", "ES", "NO", "US-CAL-CISO"), s.regions());
        assertEquals(0.6, s.workload().meanLoad());
        assertEquals(0.9, s.workload().peakLoad());
        assertEquals(0.5, s.workload().deferrableShare());
        assertEquals(12, s.workload().deferralHours());
        for (String region : s.regions()) {
            double capacity = s.pools().stream().filter(p -> s.region(p).equals(region))
                    .mapToDouble(p -> p.rates().get(Precision.INT8).evalsPerSecond()).sum();
            assertEquals(s.capacityImagesPerSecond() / 4, capacity, 1e-9, "equal capacity in " + region);
        }
    }

    @Test
    void badFilesAreRefusedNamingWhatIsWrong(@TempDir Path dir) throws IOException {
        String good = Files.readString(REFERENCE);
        Path unknownField = dir.resolve("a.json");
        Files.writeString(unknownField, good.replace("\"meanLoad\"", "\"meanLoadd\""));
        IOException e = assertThrows(IOException.class, () -> Scenario.read(unknownField));
        assertTrue(e.getMessage().contains("meanLoadd"), e.getMessage());
        Path badSite = dir.resolve("b.json");
        Files.writeString(badSite, good.replace("\"site\": \"dc-es\"", "\"site\": \"dc-xx\""));
        e = assertThrows(IOException.class, () -> Scenario.read(badSite));
        assertTrue(e.getMessage().contains("dc-xx"), e.getMessage());
        Path peak = dir.resolve("c.json");
        Files.writeString(peak, good.replace("\"peakLoad\": 0.9", "\"peakLoad\": 1.5"));
        e = assertThrows(IOException.class, () -> Scenario.read(peak));
        assertTrue(e.getMessage().contains("peakLoad"), e.getMessage());
    }

    @Test
    void theReferenceTracesLoadWhereTheSharedDataIs() throws IOException {
        var data = TraceFolders.sharedData();
        assumeTrue(data.isPresent(), "../shared/data is absent: the recorded traces cannot be read here");
        Scenario s = Scenario.read(REFERENCE);
        Traces traces = Traces.load(s, data.get());
        // Lifecycle means seen in 2022: Norway's grid is the cleanest of the four by far, California's the dirtiest.
        assertTrue(traces.intensity("NO", 0) < traces.intensity("US-CAL-CISO", 0));
        assertTrue(traces.solar("edge-ca", 20 * 3600) > 0.3, "midday in San Francisco (20:00 UTC) is sunny in June");
    }
}

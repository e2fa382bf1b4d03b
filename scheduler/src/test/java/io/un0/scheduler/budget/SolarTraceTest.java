package io.un0.scheduler.budget;

import io.un0.carbon.SolarTrace;
import io.un0.carbon.TraceFolders;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SolarTraceTest {

    static Path fixture() throws URISyntaxException {
        return Path.of(SolarTraceTest.class.getResource("/solar/two-towns.csv").toURI());
    }

    @Test
    void columnsAreFoundByTheirHeader() throws Exception {
        SolarTrace beta = SolarTrace.read(fixture(), "Beta");
        assertEquals(0.5, beta.fraction(Instant.parse("2022-06-08T00:00:00Z")));
        assertEquals("Beta", beta.location());
    }

    @Test
    void eachRowIsThePeriodEndingAtItsTime() throws Exception {
        SolarTrace alpha = SolarTrace.read(fixture(), "Alpha Town");
        assertEquals(Instant.parse("2022-06-08T00:00:00Z"), alpha.start(), "the first period is as long as the second");
        assertEquals(Instant.parse("2022-06-08T00:20:00Z"), alpha.end());
        assertEquals(0.0, alpha.fraction(Instant.parse("2022-06-08T00:04:59.999Z")));
        assertEquals(0.25, alpha.fraction(Instant.parse("2022-06-08T00:05:00Z")));
        assertEquals(0.25, alpha.fraction(Instant.parse("2022-06-08T00:07:30Z")));
        assertEquals(1.0, alpha.fraction(Instant.parse("2022-06-08T00:14:59Z")));
        assertEquals(0.5, alpha.fraction(Instant.parse("2022-06-08T00:19:59.5Z")));
        IllegalArgumentException after = assertThrows(IllegalArgumentException.class, () -> alpha.fraction(alpha.end()));
        assertTrue(after.getMessage().contains("covers 2022-06-08T00:00:00Z to 2022-06-08T00:20:00Z"), after.getMessage());
        assertThrows(IllegalArgumentException.class, () -> alpha.fraction(Instant.parse("2022-06-07T23:59:59Z")));
    }

    @Test
    void aReplayPastTheEndBeginsTheTraceAgain() throws Exception {
        SolarTrace alpha = SolarTrace.read(fixture(), "Alpha Town");
        assertEquals(Instant.parse("2022-06-08T00:07:00Z"), alpha.wrap(Instant.parse("2022-06-08T00:07:00Z")));
        assertEquals(Instant.parse("2022-06-08T00:00:00Z"), alpha.wrap(Instant.parse("2022-06-08T00:20:00Z")));
        assertEquals(Instant.parse("2022-06-08T00:07:00Z"), alpha.wrap(Instant.parse("2022-06-08T00:47:00Z")));
        assertThrows(IllegalArgumentException.class, () -> alpha.wrap(Instant.parse("2022-06-07T00:00:00Z")));
    }

    @Test
    void anUnknownLocationListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SolarTrace.read(fixture(), "Berlin"));
        assertTrue(e.getMessage().contains("no column 'Berlin'") && e.getMessage().contains("[Beta, Alpha Town]"), e.getMessage());
    }

    @Test
    void badContentIsRefusedNamingFileAndLine(@TempDir Path dir) throws Exception {
        assertRefused(dir, "when,Beta\n2022-06-08 00:05:00,0.1\n", "no 'datetime' column");
        assertRefused(dir, "datetime,Beta\n2022-06-08 00:05:00,0.1\n2022-06-08 00:10:00,abc\n", ":3: 'abc' under Beta is not a number");
        assertRefused(dir, "datetime,Beta\n2022-06-08 00:05:00,1.2\n", ":2: 1.2 under Beta is not a fraction");
        assertRefused(dir, "datetime,Beta\n2022-06-08 00:05:00,-0.1\n", ":2: -0.1 under Beta");
        assertRefused(dir, "datetime,Beta\n2022-06-08T00:05:00Z,0.1\n", ":2: '2022-06-08T00:05:00Z' is not a time");
        assertRefused(dir, "datetime,Beta\n2022-06-08 00:10:00,0.1\n2022-06-08 00:05:00,0.1\n", ":3: 2022-06-08 00:05:00 is not after");
        assertRefused(dir, "datetime,Beta\n2022-06-08 00:05:00,0.1,7\n", ":2: 3 fields where the header has 2");
        assertRefused(dir, "datetime,Beta\n2022-06-08 00:05:00,0.1\n", "has 1 rows");
        assertRefused(dir, "", "is empty");
    }

    private static void assertRefused(Path dir, String csv, String expected) throws Exception {
        Path file = Files.writeString(dir.resolve("trace.csv"), csv);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SolarTrace.read(file, "Beta"));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(file.toString()), e.getMessage());
    }

    /** The recorded Solcast trace under ../shared/data, where this checkout has it. */
    @Test
    void readsTheSharedSolcastTrace() throws Exception {
        Optional<Path> data = TraceFolders.sharedData();
        Path csv = data.map(d -> d.resolve(SolarPlan.DEFAULT_TRACE)).orElse(Path.of("absent"));
        assumeTrue(Files.isReadable(csv), "no ../shared/data/" + SolarPlan.DEFAULT_TRACE + " beside this checkout");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> SolarTrace.read(csv, "Paris"));
        assertTrue(unknown.getMessage().contains("[Berlin, Cape Town, Hong Kong, Lagos, Mexico City, Mumbai, San Francisco, "
                + "Stockholm, Sydney, São Paulo]"), unknown.getMessage());
        SolarTrace berlin = SolarTrace.read(csv, "Berlin");
        assertEquals(Instant.parse("2022-06-08T00:00:00Z"), berlin.start());
        assertEquals(Instant.parse("2022-07-07T00:00:00Z"), berlin.end());
        assertEquals(0.0, berlin.fraction(Instant.parse("2022-06-08T00:00:00Z")), "night in Berlin");
        assertEquals(0.742741, berlin.fraction(Instant.parse("2022-06-08T11:57:30Z")), "the row of 12:00 ends that period");
        assertEquals(0.692307, berlin.fraction(Instant.parse("2022-06-08T12:00:00Z")));
        SolarTrace saoPaulo = SolarTrace.read(csv, "São Paulo");
        assertTrue(saoPaulo.fraction(Instant.parse("2022-06-08T15:00:00Z")) > 0, "afternoon in São Paulo");
    }
}

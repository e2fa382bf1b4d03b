package io.un0.vocabulary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VocabularyTest {

    @Test
    void precisionsAreNamedInLowerCaseBothWays() {
        for (Precision p : Precision.values()) {
            assertEquals(p, Precision.parse(p.configName()));
            assertEquals(p.configName(), p.toString());
        }
        assertEquals("unknown precision 'fp16': one of fp32, int8",
                assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16")).getMessage());
    }

    @Test
    void aGridIntensityIsAFiniteFigureOfZeroOrMore() {
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> GridIntensity.of(bad, "test"));
        }
        GridIntensity grid = GridIntensity.of(360, "declared");
        assertEquals(0.1, grid.grams(1000), 1e-12, "1 kJ at 360 g/kWh");
        assertTrue(grid.asStale().stale());
        assertEquals(grid.grams(1000), Sci.operationalGrams(1000, 360));
    }
}

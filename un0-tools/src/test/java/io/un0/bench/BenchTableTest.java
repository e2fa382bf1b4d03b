package io.un0.bench;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An eval after a bench brings the bench's page up to date: its section is replaced, inserted, or kept out. */
class BenchTableTest {

    private static final String SETTINGS = "## Quality, speed and energy per setting\n\n| model |\n";

    private static Map<String, Object> evalFigures(double fd) {
        Map<String, Object> f = new HashMap<>();
        f.put("fd_samples", 10000);
        f.put("eval_seeds", List.of(1, 2, 3));
        f.put("classifier_test_accuracy", 0.9);
        f.put("judge_dead_features", 0);
        f.put("judge_features", 128);
        f.put("fd_real_floor", 0.01);
        f.put("precision_real_floor", 0.9);
        f.put("recall_real_floor", 0.9);
        for (String p : List.of("fp32", "int8")) {
            for (String m : List.of("fidelity", "fd", "precision", "recall")) {
                f.put(m + "_1step_" + p, m.equals("fd") ? fd : 0.5);
                f.put(m + "_1step_" + p + "_sd", 0.01);
            }
        }
        return f;
    }

    @Test
    void anEvalReplacesTheSectionOfTheEvalBefore() {
        String page = "# head\n\n" + BenchTable.evalSection(evalFigures(2.879)) + SETTINGS;
        String updated = BenchTable.withEvalSection(page, evalFigures(1.347));
        assertTrue(updated.contains("1.347 ± 0.010"), updated);
        assertFalse(updated.contains("2.879"), updated);
        assertTrue(updated.startsWith("# head\n\n") && updated.endsWith(SETTINGS), updated);
    }

    @Test
    void aPageWithoutTheSectionGetsItBeforeTheSettings() {
        String updated = BenchTable.withEvalSection("# head\n\n" + SETTINGS, evalFigures(1.347));
        assertTrue(updated.indexOf("1.347") < updated.indexOf(SETTINGS), updated);
        assertEquals("# head\n\n" + SETTINGS, BenchTable.withEvalSection("# head\n\n" + SETTINGS, Map.of()));
    }

    @Test
    void aPageTheBenchDidNotWriteIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BenchTable.withEvalSection("# something else\n", evalFigures(1.0)));
    }
}

package io.un0.bench;

import io.un0.engine.Solver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnergyRatiosTest {

    private static final String UN0 = "un0";
    private static final String BASE = "baseline";

    private final Map<Setting, Double> fd = new LinkedHashMap<>();
    private final List<SpeedRow> speed = new ArrayList<>();

    private void measured(Setting s, double fid, double joulesBatch1, double joulesBatch32) {
        fd.put(s, fid);
        speed.add(new SpeedRow(s, 1, 10, 1, 1, 1, joulesBatch1));
        speed.add(new SpeedRow(s, 32, 64, 1, 1, 1, joulesBatch32));
    }

    private EnergyRatios fixture() {
        measured(new Setting(UN0, "fp32", Solver.EULER, 1), 3.0, 1.0, 0.8);
        measured(new Setting(UN0, "int8", Solver.EULER, 1), 3.2, 0.7, 0.5);
        measured(new Setting(BASE, "fp32", Solver.EULER, 4), 4.0, 4.0, 3.6);
        measured(new Setting(BASE, "fp32", Solver.EULER, 6), 3.1, 6.0, 5.4);
        measured(new Setting(BASE, "fp32", Solver.EULER, 32), 1.0, 32.0, 30.0);
        measured(new Setting(BASE, "fp32", Solver.HEUN, 3), 3.2, 6.0, 5.6);
        measured(new Setting(BASE, "fp32", Solver.HEUN, 16), 0.9, 32.0, 31.0);
        measured(new Setting(BASE, "int8", Solver.HEUN, 3), 3.3, 4.0, 3.7);
        return EnergyRatios.of(UN0, BASE, fd, speed);
    }

    @Test
    void equalQualityTakesTheBaselinesCheapestRowThatMatchesUn0sCheapestSetting() {
        EnergyRatios r = fixture();
        // Un-0's cheapest row is int8 at batch 32 (FD 3.2): the baseline needs only FD ≤ 3.2, which Heun fp32 K = 3 at
        // batch 32 (5.6 J) and Euler K = 6 at batch 32 (5.4 J) reach; int8 Heun K = 3 (FD 3.3) does not.
        assertEquals(new Setting(UN0, "int8", Solver.EULER, 1), r.un0Cheapest().setting());
        assertEquals(3.2, r.fdTarget());
        assertEquals(new Setting(BASE, "fp32", Solver.EULER, 6), r.baselineAtEqualQuality().orElseThrow().setting());
        assertEquals(32, r.baselineAtEqualQuality().orElseThrow().batch());
        assertEquals(5.4 / 0.5, r.equalQuality().orElseThrow(), 1e-9);
    }

    @Test
    void likeForLikeComparesTheBaselinesBestFp32SettingWithUn0Fp32AtEachBatchSize() {
        EnergyRatios r = fixture();
        assertEquals(new Setting(BASE, "fp32", Solver.HEUN, 16), r.baselineBest());
        assertEquals(0.9, r.baselineBestFd());
        assertEquals(Map.of(1, 32.0, 32, 31.0 / 0.8), r.likeForLike());
        assertEquals(32.0, r.likeForLikeLeast(), 1e-9);
    }

    @Test
    void noEqualQualityRatioWhereTheBaselineNeverReachesUn0() {
        measured(new Setting(UN0, "fp32", Solver.EULER, 1), 0.5, 1.0, 0.8);
        measured(new Setting(BASE, "fp32", Solver.EULER, 8), 0.9, 8.0, 7.0);
        EnergyRatios r = EnergyRatios.of(UN0, BASE, fd, speed);
        assertTrue(r.equalQuality().isEmpty());
        assertEquals(8.0, r.likeForLikeLeast(), 1e-9);
    }

    @Test
    void bisectionFindsTheSmallestStepCountThatReachesTheTarget() {
        List<Integer> asked = new ArrayList<>();
        // FD 10/K: K = 5 is the first at or below 2.0.
        int k = Un0Benchmark.smallestReaching(kk -> {
            asked.add(kk);
            return 10.0 / kk;
        }, 4, 8, 2.0);
        assertEquals(5, k);
        assertEquals(List.of(6, 5), asked);
        // Between 32 and 64 K is narrowed only to within 32 / 8 = 4 steps: never more evaluations than that needs.
        assertEquals(44, Un0Benchmark.smallestReaching(kk -> 100.0 / kk, 32, 64, 100.0 / 41));
    }
}

package io.un0.worker;

import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.Precision;
import io.un0.proto.mesh.v1.VariantCost;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Per variant and step count, per image, following recent runs. */
class VariantCostsTest {

    @Test
    void averagesPerImageAndVariant() {
        VariantCosts costs = new VariantCosts();
        costs.record(Precision.PRECISION_INT8, 1, 32, 0.064, 0.32);
        costs.record(Precision.PRECISION_FP32, 4, 2, 0.020, 0.10);
        costs.record(Precision.PRECISION_INT8, 1, 0, 1, 1); // nothing run: nothing learnt
        List<VariantCost> first = costs.snapshot(EnergySource.ENERGY_SOURCE_MODELLED, "m");
        assertEquals(2, first.size());
        assertEquals(Precision.PRECISION_FP32, first.get(0).getPrecision());
        assertEquals(0.002, first.get(1).getSecondsPerImage(), 1e-12);
        assertEquals(0.01, first.get(1).getEnergyPerImage().getJoules(), 1e-12);
        assertEquals(EnergySource.ENERGY_SOURCE_MODELLED, first.get(1).getEnergyPerImage().getSource());

        costs.record(Precision.PRECISION_INT8, 1, 10, 0.040, 0.20); // 4 ms, 0.02 J per image
        VariantCost moved = costs.snapshot(EnergySource.ENERGY_SOURCE_MODELLED, "m").get(1);
        assertEquals(0.002 + 0.2 * (0.004 - 0.002), moved.getSecondsPerImage(), 1e-12);
        assertEquals(0.01 + 0.2 * (0.02 - 0.01), moved.getEnergyPerImage().getJoules(), 1e-12);
    }

    @Test
    void theFastestVariantSetsTheCapacityOfferedWhereItExceedsTheConfiguredOne() {
        VariantCosts costs = new VariantCosts();
        WorkerSettings settings = new WorkerSettings("w", "p", "s", "r", null, 32, Duration.ofMillis(2), Duration.ofMillis(500), 512);
        assertEquals(512, settings.offeredCapacity(costs.fastestSecondsPerImage()), "nothing measured yet: the configured capacity");
        costs.record(Precision.PRECISION_FP32, 4, 32, 0.32, 1); // 10 ms an image: 100 in two intervals, below 512
        assertEquals(512, settings.offeredCapacity(costs.fastestSecondsPerImage()));
        costs.record(Precision.PRECISION_INT8, 1, 32, 0.032, 1); // 1 ms an image: 1,000 in two intervals of 500 ms
        assertEquals(0.001, costs.fastestSecondsPerImage().orElseThrow(), 1e-12);
        assertEquals(1000, settings.offeredCapacity(costs.fastestSecondsPerImage()));
    }
}

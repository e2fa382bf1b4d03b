package io.un0.worker;

import io.un0.proto.v1.Energy;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.Precision;
import io.un0.proto.mesh.v1.VariantCost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this worker has measured of itself per model variant and step count: seconds and joules per image, as
 * moving averages over its recent runs, for its heartbeats (the scheduler weighs pools by them).
 */
public final class VariantCosts {

    /** Weight of the newest run: recent enough to follow load, smooth enough not to jump on one odd batch. */
    private static final double NEWEST = 0.2;

    private record Variant(Precision precision, int steps) {
    }

    private record Cost(double secondsPerImage, double joulesPerImage) {
    }

    private final Map<Variant, Cost> costs = new ConcurrentHashMap<>();

    public void record(Precision precision, int steps, int images, double seconds, double joules) {
        if (images < 1) {
            return;
        }
        Cost run = new Cost(seconds / images, joules / images);
        costs.merge(new Variant(precision, steps), run, (old, now) -> new Cost(
                old.secondsPerImage() + NEWEST * (now.secondsPerImage() - old.secondsPerImage()),
                old.joulesPerImage() + NEWEST * (now.joulesPerImage() - old.joulesPerImage())));
    }

    /** Seconds per image of the cheapest variant run so far; empty before the first run. */
    public OptionalDouble fastestSecondsPerImage() {
        return costs.values().stream().mapToDouble(Cost::secondsPerImage).min();
    }

    public List<VariantCost> snapshot(EnergySource source, String model) {
        List<VariantCost> out = new ArrayList<>();
        costs.forEach((v, c) -> out.add(VariantCost.newBuilder().setPrecision(v.precision()).setSteps(v.steps())
                .setSecondsPerImage(c.secondsPerImage())
                .setEnergyPerImage(Energy.newBuilder().setJoules(c.joulesPerImage()).setSource(source).setModel(model)).build()));
        out.sort(java.util.Comparator.comparing((VariantCost c) -> c.getPrecision().getNumber()).thenComparingInt(VariantCost::getSteps));
        return out;
    }
}

package io.un0.energy;

import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.SharedEnergy;
import io.un0.proto.v1.EnergySource;
import java.time.Duration;
import java.util.List;

/**
 * What the mesh's processes drew over one window, against the images its workers served in it: every figure is a
 * rate scaled to the window, so processes whose reports span slightly different intervals add up.
 *
 * @param images        images written in results
 * @param servedJoules  the joules those results carried (the workers' engine runs, shared by work)
 * @param workerJoules  what the workers' processes drew, engine runs included
 * @param processJoules everything the processes drew, the workers' included
 * @param sharedGrams   the gCO2e of {@code processJoules − servedJoules}, each process at its own region's intensity
 * @param source        the weakest of the processes' sources
 * @param model         how each process's figure was obtained
 * @param processes     {@code role/name (how metered)} of every process counted
 */
public record BoundaryShare(double images, double servedJoules, double workerJoules, double processJoules, double sharedGrams, Duration window,
                            EnergySource source, String model, List<String> processes) {

    /** What the processes drew beyond the jobs' engine runs. */
    public double sharedJoules() {
        return Math.max(0, processJoules - servedJoules);
    }

    public double sharedJoulesPerImage() {
        return sharedJoules() / images;
    }

    /** Whole boundary: everything every process drew, per image. */
    public double processJoulesPerImage() {
        return processJoules / images;
    }

    /** The workers' own accounting (their engine runs), per image. */
    public double servedJoulesPerImage() {
        return servedJoules / images;
    }

    /** The workers' processes, per image. */
    public double workerJoulesPerImage() {
        return workerJoules / images;
    }

    /** As an assignment carries it to the worker. */
    public SharedEnergy toProto() {
        return SharedEnergy.newBuilder().setJoulesPerImage(sharedJoulesPerImage()).setGramsPerImage(sharedGrams / images)
                .setSource(source).setModel(model).addAllProcesses(processes).setWindow(ProtoTime.duration(window)).build();
    }
}

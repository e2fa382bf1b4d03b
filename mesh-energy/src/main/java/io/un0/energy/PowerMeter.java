package io.un0.energy;

import io.un0.proto.v1.EnergySource;

/**
 * Where a worker's energy figures come from. Take a sample before and after a piece of work; the meter says how
 * many joules went into it, and every figure carries the meter's source (measured by RAPL or NVML, or modelled).
 */
public interface PowerMeter {

    Sample sample();

    /** Joules spent between two samples of this meter. */
    double joules(Sample from, Sample to);

    EnergySource source();

    /** How the joules are obtained, for every figure that carries them. */
    String describe();

    /**
     * One reading.
     *
     * @param wallNanos         {@link System#nanoTime()} when taken
     * @param cpuSeconds        this process's CPU time so far, NaN where the meter does not need it (a GPU's)
     * @param machineCpuSeconds the whole machine's busy CPU time so far, NaN where the meter does not need it
     * @param counter           a meter's cumulative energy counter in joules, NaN where the meter has none
     */
    record Sample(long wallNanos, double cpuSeconds, double machineCpuSeconds, double counter) {
    }
}

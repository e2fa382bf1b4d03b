package io.un0.vocabulary;

/**
 * Modelled CPU energy where no meter can be read: joules = CPU-seconds × watts per busy core. The default is a
 * declared figure, not a measurement: 4.4 W per core, the thermal design power of an AMD EPYC 7763 (280 W) over
 * its 64 cores, standing in for the unnamed "AMD EPYC" of our build machines. Idle power is left out: it is paid
 * whether or not an image is made, and the scheduler accounts for it per worker.
 */
public record CpuEnergyModel(double wattsPerBusyCore, String basis) {

    public static final double DEFAULT_WATTS_PER_CORE = 4.4;

    public static CpuEnergyModel declared(double wattsPerBusyCore) {
        return new CpuEnergyModel(wattsPerBusyCore, wattsPerBusyCore == DEFAULT_WATTS_PER_CORE
                ? "AMD EPYC 7763 TDP 280 W / 64 cores"
                : "declared on the command line");
    }

    public double joules(double cpuSeconds) {
        return cpuSeconds * wattsPerBusyCore;
    }

    /** How the joules were obtained, for every figure that carries them. */
    public String describe() {
        return String.format("modelled: process CPU-seconds x %.2f W per busy core (%s); no RAPL or NVML meter on this machine",
                wattsPerBusyCore, basis);
    }
}

package io.un0.energy;

import io.un0.vocabulary.CpuEnergyModel;
import java.nio.file.Path;
import java.util.Locale;

/** Picks the meter of a process that runs on CPUs only: RAPL where it can be read, else the declared model. */
public final class ProcessMeters {

    private ProcessMeters() {
    }

    /** RAPL under the kernel's usual folders where it can be read, else {@code model}: for a process with no configuration. */
    public static PowerMeter auto(CpuEnergyModel model) {
        return choose("auto", "auto", Path.of("/sys/class/powercap"), Path.of("/proc/stat"), model);
    }

    /**
     * @param key      the configuration key that named {@code mode}, for the error
     * @param mode     {@code auto} (RAPL if readable, else modelled), {@code rapl} (RAPL or refuse), {@code model}
     * @param procStat the kernel's CPU accounting, {@code /proc/stat}
     * @throws IllegalArgumentException for an unknown mode, or RAPL asked for where it cannot be read
     */
    public static PowerMeter choose(String key, String mode, Path powercap, Path procStat, CpuEnergyModel model) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "auto" -> RaplPower.open(powercap, procStat).<PowerMeter>map(m -> m).orElseGet(() -> new ModelledCpuPower(model));
            case "rapl" -> RaplPower.open(powercap, procStat).orElseThrow(() -> new IllegalArgumentException(
                    key + "=rapl, but no readable RAPL package domain under " + powercap
                            + " (absent on most VMs; on bare metal the counters may be readable by root only)"));
            case "model" -> new ModelledCpuPower(model);
            default -> throw new IllegalArgumentException(key + ": '" + mode + "' is not one of auto, rapl, model");
        };
    }
}

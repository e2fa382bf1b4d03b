package io.un0.worker.power;

import io.un0.bench.CpuEnergyModel;

import java.nio.file.Path;
import java.util.Locale;

/** Picks a worker's meter from its configuration: RAPL where it can be read, else the declared model. */
public final class PowerMeters {

    private PowerMeters() {
    }

    /**
     * @param mode {@code auto} (RAPL if readable, else modelled), {@code rapl} (RAPL or refuse), {@code model}
     * @throws IllegalArgumentException for an unknown mode, or {@code rapl} where it cannot be read
     */
    public static PowerMeter choose(String mode, Path powercap, Path procStat, CpuEnergyModel model) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "auto" -> RaplPower.open(powercap, procStat).<PowerMeter>map(r -> r).orElseGet(() -> new ModelledCpuPower(model));
            case "rapl" -> RaplPower.open(powercap, procStat).orElseThrow(() -> new IllegalArgumentException(
                    "un0.worker.power.meter=rapl, but no readable RAPL package domain under " + powercap
                            + " (absent on most VMs; on bare metal the counters may be readable by root only)"));
            case "model" -> new ModelledCpuPower(model);
            default -> throw new IllegalArgumentException("un0.worker.power.meter: '" + mode + "' is not one of auto, rapl, model");
        };
    }
}

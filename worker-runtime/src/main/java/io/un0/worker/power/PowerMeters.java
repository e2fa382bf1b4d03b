package io.un0.worker.power;

import io.un0.energy.CpuEnergyModel;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntFunction;

/**
 * Picks a worker's meter from its configuration: NVML for the GPU its engines run on, else RAPL where it can be read,
 * else the declared model.
 */
public final class PowerMeters {

    private PowerMeters() {
    }

    /**
     * @param mode {@code auto} (NVML if the engines run on a GPU it can meter, else RAPL if readable, else modelled),
     *             {@code nvml} (NVML or refuse), {@code rapl} (RAPL or refuse), {@code model}
     * @param gpu  the NVML index of the GPU the worker's engines run on; empty where they run on none
     * @throws IllegalArgumentException for an unknown mode, or a meter that was asked for and cannot be read
     */
    public static PowerMeter choose(String mode, OptionalInt gpu, Path powercap, Path procStat, CpuEnergyModel model) {
        return choose(mode, gpu, powercap, procStat, model, NvmlPower::open);
    }

    /** @param nvml opens NVML's meter for a GPU, or says why it cannot and gives none */
    static PowerMeter choose(String mode, OptionalInt gpu, Path powercap, Path procStat, CpuEnergyModel model,
                             IntFunction<Optional<? extends PowerMeter>> nvml) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "auto" -> {
                Optional<? extends PowerMeter> gpuMeter = gpu.isPresent() ? nvml.apply(gpu.getAsInt()) : Optional.empty();
                yield gpuMeter.<PowerMeter>map(m -> m).or(() -> RaplPower.open(powercap, procStat)).orElseGet(() -> new ModelledCpuPower(model));
            }
            case "nvml" -> {
                if (gpu.isEmpty()) {
                    throw new IllegalArgumentException("un0.worker.power.meter=nvml, but this worker names no GPU to NVML: its engines"
                            + " run on a CPU or NPU (or the GPU worker fell back to the CPU), or its app cannot tell which GPU they run on (see its log)");
                }
                try {
                    yield NvmlPower.connect(gpu.getAsInt());
                } catch (NvmlException e) {
                    throw new IllegalArgumentException("un0.worker.power.meter=nvml, but NVML cannot meter GPU " + gpu.getAsInt() + ": " + e.getMessage());
                }
            }
            case "rapl" -> RaplPower.open(powercap, procStat).orElseThrow(() -> new IllegalArgumentException(
                    "un0.worker.power.meter=rapl, but no readable RAPL package domain under " + powercap
                            + " (absent on most VMs; on bare metal the counters may be readable by root only)"));
            case "model" -> new ModelledCpuPower(model);
            default -> throw new IllegalArgumentException("un0.worker.power.meter: '" + mode + "' is not one of auto, nvml, rapl, model");
        };
    }
}

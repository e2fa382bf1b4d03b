package io.un0.worker.power;

import io.un0.energy.PowerMeter;
import io.un0.energy.ProcessMeters;
import io.un0.vocabulary.CpuEnergyModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntFunction;

/**
 * Picks a worker's meter (the CPU meters are every process's, in mesh-energy's {@link ProcessMeters}) from its configuration: NVML for the GPU its engines run on, else RAPL where it can be read,
 * else the declared model.
 */
public final class PowerMeters {

    private static final String KEY = "un0.worker.power.meter";

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
                yield gpuMeter.<PowerMeter>map(m -> m).orElseGet(() -> ProcessMeters.choose(KEY, mode, powercap, procStat, model));
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
            case "rapl", "model" -> ProcessMeters.choose(KEY, mode, powercap, procStat, model);
            default -> throw new IllegalArgumentException(KEY + ": '" + mode + "' is not one of auto, nvml, rapl, model");
        };
    }
}

package io.un0.worker.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.un0.energy.ModelledCpuPower;
import io.un0.energy.PowerMeter;
import io.un0.energy.RaplPower;
import io.un0.proto.v1.EnergySource;
import io.un0.vocabulary.CpuEnergyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NVML for a worker's GPU; RAPL read from a powercap tree laid out as the kernel does it; the model where there is neither. */
class PowerMetersTest {

    private static final CpuEnergyModel MODEL = CpuEnergyModel.declared(CpuEnergyModel.DEFAULT_WATTS_PER_CORE);

    @Test
    void raplGivesThePackagesJoulesTimesThisProcesssShareAcrossAWrap(@TempDir Path dir) throws IOException {
        Path powercap = dir.resolve("powercap");
        domain(powercap, "intel-rapl:0", 999_000_000L, 1_000_000_000L);
        domain(powercap, "intel-rapl:0:0", 5L, 1_000_000_000L); // a sub-domain (core), part of the package: not added
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "cpu  1000 0 500 9000 0 0 0 0 0 0\ncpu0 500 0 250 4500 0 0 0 0 0 0\n");
        RaplPower rapl = RaplPower.open(powercap, stat).orElseThrow();
        PowerMeter.Sample before = rapl.sample();
        assertEquals(999.0, before.counter(), 1e-9);
        assertEquals(15.0, before.machineCpuSeconds(), 1e-9);

        // The package counter wraps at 1,000 J and reads 3 J: 4 J spent; the machine was busy 2 s of CPU.
        Files.writeString(powercap.resolve("intel-rapl:0/energy_uj"), "3000000\n");
        Files.writeString(stat, "cpu  1150 0 550 9100 0 0 0 0 0 0\n");
        PowerMeter.Sample after = new PowerMeter.Sample(before.wallNanos() + 1_000_000_000L, before.cpuSeconds() + 0.5,
                rapl.sample().machineCpuSeconds(), rapl.sample().counter());
        assertEquals(4.0 * 0.5 / 2.0, rapl.joules(before, after), 1e-9, "a quarter of the machine's CPU time: a quarter of 4 J");
        assertEquals(EnergySource.ENERGY_SOURCE_MEASURED_RAPL, rapl.source());
        assertTrue(rapl.describe().startsWith("measured: RAPL"), rapl.describe());
    }

    @Test
    void withoutReadableRaplAutoModelsAndRaplRefuses(@TempDir Path dir) throws IOException {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "cpu  1 0 1 1 0 0 0 0 0 0\n");
        assertInstanceOf(ModelledCpuPower.class, PowerMeters.choose("auto", OptionalInt.empty(), dir.resolve("absent"), stat, MODEL));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> PowerMeters.choose("rapl", OptionalInt.empty(), dir.resolve("absent"), stat, MODEL));
        assertTrue(refused.getMessage().contains("no readable RAPL"), refused.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PowerMeters.choose("nvml?", OptionalInt.empty(), dir, stat, MODEL))
                .getMessage().contains("not one of auto, nvml, rapl, model"));
        PowerMeter model = PowerMeters.choose("model", OptionalInt.empty(), dir, stat, MODEL);
        assertEquals(EnergySource.ENERGY_SOURCE_MODELLED, model.source());
        PowerMeter.Sample a = new PowerMeter.Sample(0, 1.0, Double.NaN, Double.NaN);
        PowerMeter.Sample b = new PowerMeter.Sample(1, 3.0, Double.NaN, Double.NaN);
        assertEquals(2.0 * CpuEnergyModel.DEFAULT_WATTS_PER_CORE, model.joules(a, b), 1e-9);
    }

    @Test
    void autoMetersTheWorkersGpuWithNvmlAndTheCpuWhereNvmlCannot(@TempDir Path dir) throws IOException {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "cpu  1 0 1 1 0 0 0 0 0 0\n");
        NvmlPowerTest.FakeNvml nvml = new NvmlPowerTest.FakeNvml();
        nvml.devices = 2;
        NvmlPower gpu = NvmlPower.connect(nvml, 1, System::nanoTime);
        List<Integer> asked = new ArrayList<>();
        assertSame(gpu, PowerMeters.choose("auto", OptionalInt.of(1), dir, stat, MODEL, i -> {
            asked.add(i);
            return Optional.of(gpu);
        }));
        assertInstanceOf(ModelledCpuPower.class, PowerMeters.choose("auto", OptionalInt.of(1), dir, stat, MODEL, i -> {
            asked.add(i);
            return Optional.empty();
        }));
        assertInstanceOf(ModelledCpuPower.class, PowerMeters.choose("auto", OptionalInt.empty(), dir, stat, MODEL, i -> {
            asked.add(i);
            return Optional.of(gpu);
        }));
        assertEquals(List.of(1, 1), asked, "NVML is asked only for a worker whose engines run on a GPU");
    }

    @Test
    void nvmlRefusesToStartWithoutAGpuOrWithoutTheDriver(@TempDir Path dir) {
        Path stat = dir.resolve("stat");
        assertEquals("un0.worker.power.meter=nvml, but this worker names no GPU to NVML: its engines run on a CPU or NPU (or the GPU"
                        + " worker fell back to the CPU), or its app cannot tell which GPU they run on (see its log)",
                assertThrows(IllegalArgumentException.class, () -> PowerMeters.choose("nvml", OptionalInt.empty(), dir, stat, MODEL)).getMessage());

        assumeFalse(Files.exists(Path.of("/proc/driver/nvidia/gpus")), "an NVIDIA driver is loaded here");
        String refused = assertThrows(IllegalArgumentException.class, () -> PowerMeters.choose("nvml", OptionalInt.of(0), dir, stat, MODEL))
                .getMessage();
        assertTrue(refused.startsWith("un0.worker.power.meter=nvml, but NVML cannot meter GPU 0: "), refused);
        assertTrue(refused.contains("libnvidia-ml.so.1") || refused.contains("nvmlInit_v2 failed"), refused);
    }

    private static void domain(Path powercap, String name, long energyMicrojoules, long maxMicrojoules) throws IOException {
        Path d = Files.createDirectories(powercap.resolve(name));
        Files.writeString(d.resolve("energy_uj"), energyMicrojoules + "\n");
        Files.writeString(d.resolve("max_energy_range_uj"), maxMicrojoules + "\n");
    }
}

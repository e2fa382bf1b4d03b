package io.un0.worker.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.un0.energy.PowerMeter;
import io.un0.proto.v1.EnergySource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** NVML's answers turned into joules and messages, against a stand-in for the library; and the real loader without a GPU. */
class NvmlPowerTest {

    /** The driver's words for the codes used here, as nvmlErrorString gives them. */
    private static final Map<Integer, String> ERRORS = Map.of(2, "Invalid Argument", 3, "Not Supported", 4, "Insufficient Permissions",
            9, "Driver Not Loaded", 15, "GPU is lost");

    /** One H100 whose answers each test sets. */
    static final class FakeNvml implements NvmlLibrary {
        int init = SUCCESS;
        int devices = 1;
        int energyResult = SUCCESS;
        long millijoules;
        int powerResult = SUCCESS;
        int milliwatts;
        int shutdowns;

        @Override
        public int nvmlInit_v2() {
            return init;
        }

        @Override
        public int nvmlShutdown() {
            shutdowns++;
            return SUCCESS;
        }

        @Override
        public String nvmlErrorString(int result) {
            return ERRORS.getOrDefault(result, "Unknown Error");
        }

        @Override
        public int nvmlDeviceGetCount_v2(IntByReference deviceCount) {
            deviceCount.setValue(devices);
            return SUCCESS;
        }

        @Override
        public int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device) {
            device.setValue(new Pointer(0x1000 + index));
            return SUCCESS;
        }

        @Override
        public int nvmlDeviceGetName(Pointer device, byte[] name, int length) {
            return text("NVIDIA H100 80GB HBM3", name);
        }

        @Override
        public int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length) {
            return text("GPU-5e2d9a8c-0000-4000-8000-000000000001", uuid);
        }

        @Override
        public int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference energy) {
            energy.setValue(millijoules);
            return energyResult;
        }

        @Override
        public int nvmlDeviceGetPowerUsage(Pointer device, IntByReference power) {
            power.setValue(milliwatts);
            return powerResult;
        }

        private static int text(String text, byte[] buffer) {
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(bytes, 0, buffer, 0, bytes.length); // the rest of the buffer is already NUL
            return SUCCESS;
        }
    }

    private final FakeNvml nvml = new FakeNvml();
    private final AtomicLong clock = new AtomicLong(5_000_000_000L);

    @Test
    void theEnergyCounterGivesJoulesFromMillijoules() {
        nvml.millijoules = 123_456_789L;
        NvmlPower meter = NvmlPower.connect(nvml, 0, clock::get);
        assertTrue(meter.hasEnergyCounter());
        PowerMeter.Sample before = meter.sample();
        assertEquals(123_456.789, before.counter(), 1e-9);

        nvml.millijoules += 2_500;
        clock.addAndGet(1_000_000_000L);
        PowerMeter.Sample after = meter.sample();
        assertEquals(2.5, meter.joules(before, after), 1e-9);
        assertEquals(1_000_000_000L, after.wallNanos() - before.wallNanos());

        nvml.milliwatts = 312_480;
        assertEquals(312.48, meter.watts(), 1e-9);
        assertEquals(EnergySource.ENERGY_SOURCE_MEASURED_NVML, meter.source());
        assertEquals(new NvmlPower.Device(0, "NVIDIA H100 80GB HBM3", "GPU-5e2d9a8c-0000-4000-8000-000000000001"), meter.device());
        assertEquals("measured: NVML energy counter (nvmlDeviceGetTotalEnergyConsumption) of GPU 0 (NVIDIA H100 80GB HBM3,"
                + " GPU-5e2d9a8c-0000-4000-8000-000000000001), the whole device's joules", meter.describe());
    }

    @Test
    void withoutAnEnergyCounterThePowerReadingsAreIntegrated() {
        nvml.energyResult = NvmlLibrary.ERROR_NOT_SUPPORTED;
        nvml.milliwatts = 100_000;
        NvmlPower meter = NvmlPower.connect(nvml, 0, clock::get); // 100 W now
        assertFalse(meter.hasEnergyCounter());

        clock.addAndGet(1_000_000_000L);
        nvml.milliwatts = 200_000;
        PowerMeter.Sample first = meter.sample(); // 1 s from 100 W to 200 W: 150 J
        assertEquals(150.0, first.counter(), 1e-9);

        clock.addAndGet(2_000_000_000L);
        PowerMeter.Sample second = meter.sample(); // 2 s at 200 W: 400 J more
        assertEquals(400.0, meter.joules(first, second), 1e-9);
        assertTrue(meter.describe().startsWith("measured: NVML power readings (nvmlDeviceGetPowerUsage) of GPU 0 (NVIDIA H100"), meter.describe());
        assertTrue(meter.describe().endsWith("integrated between samples, the whole device's joules (the device has no energy counter;"
                + " Volta and newer have one)"), meter.describe());
    }

    @Test
    void aFailedReadingCountsNoJoulesAndTheMeterGoesOn() {
        nvml.millijoules = 1_000;
        NvmlPower meter = NvmlPower.connect(nvml, 0, clock::get);
        PowerMeter.Sample good = meter.sample();
        nvml.energyResult = 15;
        PowerMeter.Sample lost = meter.sample();
        assertTrue(Double.isNaN(lost.counter()));
        assertEquals(0, meter.joules(good, lost));
        nvml.energyResult = NvmlLibrary.SUCCESS;
        nvml.millijoules = 4_000;
        assertEquals(3.0, meter.joules(good, meter.sample()), 1e-9);

        nvml.powerResult = 4;
        NvmlException e = assertThrows(NvmlException.class, meter::watts);
        assertEquals("nvmlDeviceGetPowerUsage failed: Insufficient Permissions (NVML error 4)", e.getMessage());
    }

    @Test
    void failuresNameTheCallAndNvmlsWordsAndReleaseNvml() {
        nvml.init = 9;
        assertEquals("nvmlInit_v2 failed: Driver Not Loaded (NVML error 9)", refusal().getMessage());
        assertEquals(0, nvml.shutdowns, "NVML was never initialised");

        nvml.init = NvmlLibrary.SUCCESS;
        nvml.devices = 0;
        assertEquals("NVML sees 0 GPU(s), so there is no GPU 0", refusal().getMessage());
        assertEquals(1, nvml.shutdowns);

        nvml.devices = 1;
        nvml.energyResult = 4;
        assertEquals("nvmlDeviceGetTotalEnergyConsumption failed: Insufficient Permissions (NVML error 4)", refusal().getMessage());

        nvml.energyResult = NvmlLibrary.ERROR_NOT_SUPPORTED;
        nvml.powerResult = NvmlLibrary.ERROR_NOT_SUPPORTED;
        assertEquals("GPU 0 (NVIDIA H100 80GB HBM3, GPU-5e2d9a8c-0000-4000-8000-000000000001) has no energy counter"
                + " (nvmlDeviceGetTotalEnergyConsumption: Not Supported) and no power readings either: nvmlDeviceGetPowerUsage failed:"
                + " Not Supported (NVML error 3)", refusal().getMessage());
        assertEquals(3, nvml.shutdowns);
    }

    private NvmlException refusal() {
        return assertThrows(NvmlException.class, () -> NvmlPower.connect(nvml, 0, clock::get));
    }

    /** These build machines have no NVIDIA driver: opening gives nothing, and says why, rather than throwing. */
    @Test
    void withoutTheDriverOpeningGivesNoMeter() {
        assumeFalse(Files.exists(Path.of("/proc/driver/nvidia/gpus")), "an NVIDIA driver is loaded here");
        assertTrue(NvmlPower.open(0).isEmpty());
        NvmlException e = assertThrows(NvmlException.class, () -> NvmlPower.connect(0));
        assertTrue(e.getMessage().startsWith("libnvidia-ml.so.1 could not be loaded (") || e.getMessage().startsWith("nvmlInit_v2 failed: "),
                e.getMessage());
    }
}

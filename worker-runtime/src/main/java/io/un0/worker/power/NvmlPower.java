package io.un0.worker.power;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.un0.energy.PowerMeter;
import io.un0.proto.v1.EnergySource;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * An NVIDIA GPU's energy through NVML ({@code libnvidia-ml}, which comes with the driver). Where the device has the
 * driver's energy counter (Volta and newer), a sample's counter is that counter in joules; elsewhere it is the
 * integral of the device's power readings since the meter was opened, a trapezoid between each two samples taken.
 * Either way the joules are the whole device's: a GPU worker is taken to have its GPU to itself. Marked MEASURED_NVML.
 */
public final class NvmlPower implements PowerMeter, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NvmlPower.class.getName());

    /** A GPU as NVML knows it: its index (NVML's order, which CUDA's may differ from), name and UUID. */
    public record Device(int index, String name, String uuid) {
        @Override
        public String toString() {
            return "GPU " + index + " (" + name + ", " + uuid + ")";
        }
    }

    private final NvmlLibrary nvml;
    private final Pointer handle;
    private final Device device;
    private final boolean energyCounter;
    private final LongSupplier clock;
    private final AtomicBoolean warned = new AtomicBoolean();
    // The integral of power readings, for a device without an energy counter; the worker samples from two threads.
    private long lastNanos;
    private double lastWatts = Double.NaN;
    private double integral;

    private NvmlPower(NvmlLibrary nvml, Pointer handle, Device device, boolean energyCounter, LongSupplier clock) {
        this.nvml = nvml;
        this.handle = handle;
        this.device = device;
        this.energyCounter = energyCounter;
        this.clock = clock;
    }

    /** Empty, with the reason logged, where NVML does not load or cannot meter that GPU. */
    public static Optional<NvmlPower> open(int index) {
        try {
            return Optional.of(connect(index));
        } catch (NvmlException e) {
            LOG.log(System.Logger.Level.WARNING, "no NVML meter for GPU " + index + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** @throws NvmlException where NVML does not load or cannot meter that GPU, saying why */
    public static NvmlPower connect(int index) {
        NvmlLibrary nvml;
        try {
            nvml = Native.load(NvmlLibrary.SONAME, NvmlLibrary.class);
        } catch (UnsatisfiedLinkError e) {
            // JNA heads its message with the name, then gives a line per place it looked: the first is the loader's answer.
            String why = e.getMessage().lines().skip(1).findFirst().orElse(e.getMessage());
            throw new NvmlException(NvmlLibrary.SONAME + " could not be loaded (" + why
                    + "): it comes with the NVIDIA driver, which this machine lacks or does not show to this process");
        }
        return connect(nvml, index, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} */
    static NvmlPower connect(NvmlLibrary nvml, int index, LongSupplier clock) {
        check(nvml, "nvmlInit_v2", nvml.nvmlInit_v2());
        try {
            IntByReference count = new IntByReference();
            check(nvml, "nvmlDeviceGetCount_v2", nvml.nvmlDeviceGetCount_v2(count));
            if (index < 0 || index >= count.getValue()) {
                throw new NvmlException("NVML sees " + count.getValue() + " GPU(s), so there is no GPU " + index);
            }
            PointerByReference found = new PointerByReference();
            check(nvml, "nvmlDeviceGetHandleByIndex_v2", nvml.nvmlDeviceGetHandleByIndex_v2(index, found));
            Pointer handle = found.getValue();
            byte[] name = new byte[NvmlLibrary.TEXT_BUFFER_SIZE];
            check(nvml, "nvmlDeviceGetName", nvml.nvmlDeviceGetName(handle, name, name.length));
            byte[] uuid = new byte[NvmlLibrary.TEXT_BUFFER_SIZE];
            check(nvml, "nvmlDeviceGetUUID", nvml.nvmlDeviceGetUUID(handle, uuid, uuid.length));
            Device device = new Device(index, text(name), text(uuid));

            int counter = nvml.nvmlDeviceGetTotalEnergyConsumption(handle, new LongByReference());
            if (counter != NvmlLibrary.ERROR_NOT_SUPPORTED) {
                check(nvml, "nvmlDeviceGetTotalEnergyConsumption", counter);
            }
            NvmlPower meter = new NvmlPower(nvml, handle, device, counter == NvmlLibrary.SUCCESS, clock);
            if (!meter.energyCounter) {
                try {
                    meter.integrate(); // the first reading, from which the integral starts
                } catch (NvmlException e) {
                    throw new NvmlException(device + " has no energy counter (nvmlDeviceGetTotalEnergyConsumption: "
                            + nvml.nvmlErrorString(counter) + ") and no power readings either: " + e.getMessage());
                }
            }
            return meter;
        } catch (NvmlException e) {
            nvml.nvmlShutdown();
            throw e;
        }
    }

    public Device device() {
        return device;
    }

    /** Whether samples carry the driver's energy counter rather than the integral of power readings. */
    public boolean hasEnergyCounter() {
        return energyCounter;
    }

    /**
     * The device's draw, as the driver averages it over its last short window.
     *
     * @throws NvmlException where it cannot be read
     */
    public double watts() {
        IntByReference milliwatts = new IntByReference();
        check(nvml, "nvmlDeviceGetPowerUsage", nvml.nvmlDeviceGetPowerUsage(handle, milliwatts));
        return milliwatts.getValue() / 1e3;
    }

    /** A failed reading gives a NaN counter, so the intervals it bounds count no joules; the first failure is logged. */
    @Override
    public Sample sample() {
        double joules;
        try {
            joules = energyCounter ? totalEnergy() : integrate();
        } catch (NvmlException e) {
            if (!warned.getAndSet(true)) {
                LOG.log(System.Logger.Level.WARNING, device + ": " + e.getMessage()
                        + "; intervals without a reading count no joules (logged only for the first failure)");
            }
            joules = Double.NaN;
        }
        return new Sample(clock.getAsLong(), Double.NaN, Double.NaN, joules);
    }

    @Override
    public double joules(Sample from, Sample to) {
        if (Double.isNaN(from.counter()) || Double.isNaN(to.counter())) {
            return 0;
        }
        return to.counter() - from.counter();
    }

    @Override
    public EnergySource source() {
        return EnergySource.ENERGY_SOURCE_MEASURED_NVML;
    }

    @Override
    public String describe() {
        String whole = ", the whole device's joules";
        return energyCounter
                ? "measured: NVML energy counter (nvmlDeviceGetTotalEnergyConsumption) of " + device + whole
                : "measured: NVML power readings (nvmlDeviceGetPowerUsage) of " + device + " integrated between samples" + whole
                        + " (the device has no energy counter; Volta and newer have one)";
    }

    /** Ends this meter's use of NVML, which counts initialisations and unloads on the last shutdown. */
    @Override
    public void close() {
        nvml.nvmlShutdown(); // a failed shutdown leaves nothing to undo
    }

    private double totalEnergy() {
        LongByReference millijoules = new LongByReference();
        check(nvml, "nvmlDeviceGetTotalEnergyConsumption", nvml.nvmlDeviceGetTotalEnergyConsumption(handle, millijoules));
        // Unsigned in C, read as signed: that overflows only after 292 million years at 1 kW.
        return millijoules.getValue() / 1e3;
    }

    private synchronized double integrate() {
        double watts = watts();
        long now = clock.getAsLong();
        if (!Double.isNaN(lastWatts)) {
            integral += (lastWatts + watts) / 2 * ((now - lastNanos) / 1e9);
        }
        lastWatts = watts;
        lastNanos = now;
        return integral;
    }

    private static void check(NvmlLibrary nvml, String function, int result) {
        if (result != NvmlLibrary.SUCCESS) {
            throw new NvmlException(function + " failed: " + nvml.nvmlErrorString(result) + " (NVML error " + result + ")");
        }
    }

    /** A C string from its buffer: the bytes before the first NUL. */
    private static String text(byte[] buffer) {
        int end = 0;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, 0, end, StandardCharsets.UTF_8);
    }
}

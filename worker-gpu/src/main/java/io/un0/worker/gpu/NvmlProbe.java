package io.un0.worker.gpu;

import io.un0.worker.power.NvmlException;
import io.un0.worker.power.NvmlPower;
import io.un0.energy.PowerMeter;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a GPU through {@link NvmlPower}, as the GPU worker meters it, and prints a JSON line per reading (epoch time,
 * power, energy counter), then a summary: the joules over the window by the energy counter and by integrating the
 * power readings, so that each checks the other. Needs only JNA, worker-runtime's power package and the proto enum on
 * the class path, not Quarkus, so that it runs from a small kit on a GPU machine. Stopped early (SIGTERM), it still
 * prints the summary of what it read; the epoch times let another program cut the readings into its own windows.
 *
 * <p>{@code NvmlProbe SECONDS [PERIOD_MS (200)] [NVML_INDEX (0)]}; exit 2 where NVML cannot meter the GPU.
 */
public final class NvmlProbe {

    private final NvmlPower meter;
    private final long startNanos = System.nanoTime();
    private boolean summarised;
    private int readings;
    private PowerMeter.Sample first;
    private PowerMeter.Sample last;
    // The trapezoid integral of the power readings, over the intervals both of whose ends were read.
    private double readingJoules;
    private double readingSeconds;
    private double lastWatts = Double.NaN;
    private long lastWattsNanos;

    private NvmlProbe(NvmlPower meter) {
        this.meter = meter;
    }

    public static void main(String[] args) throws InterruptedException {
        double seconds;
        long periodMs;
        int index;
        try {
            seconds = Double.parseDouble(args[0]);
            periodMs = args.length > 1 ? Long.parseLong(args[1]) : 200;
            index = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        } catch (RuntimeException e) {
            System.err.println("usage: NvmlProbe SECONDS [PERIOD_MS (200)] [NVML_INDEX (0)]");
            System.exit(64);
            return;
        }
        NvmlPower meter;
        try {
            meter = NvmlPower.connect(index);
        } catch (NvmlException e) {
            print(Map.of("error", e.getMessage()));
            System.exit(2);
            return;
        }
        NvmlProbe probe = new NvmlProbe(meter);
        print(Map.of("gpu", probe.gpu(), "meter", meter.describe()));
        Runtime.getRuntime().addShutdownHook(new Thread(probe::summarise));
        long periodNanos = periodMs * 1_000_000;
        for (long due = probe.startNanos; due - probe.startNanos <= seconds * 1e9; due += periodNanos) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            probe.read();
        }
        probe.summarise();
        meter.close();
    }

    private synchronized void read() {
        if (summarised) {
            return;
        }
        PowerMeter.Sample sample = meter.sample();
        Instant now = Instant.now();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("t", now.getEpochSecond() + now.getNano() / 1e9);
        line.put("elapsed_s", (sample.wallNanos() - startNanos) / 1e9);
        line.put("energy_j", sample.counter());
        try {
            double watts = meter.watts();
            long at = System.nanoTime();
            if (!Double.isNaN(lastWatts)) {
                readingJoules += (lastWatts + watts) / 2 * ((at - lastWattsNanos) / 1e9);
                readingSeconds += (at - lastWattsNanos) / 1e9;
            }
            lastWatts = watts;
            lastWattsNanos = at;
            line.put("watts", watts);
        } catch (NvmlException e) {
            lastWatts = Double.NaN;
            line.put("watts", Double.NaN);
            line.put("error", e.getMessage());
        }
        print(line);
        readings++;
        if (!Double.isNaN(sample.counter())) {
            first = first == null ? sample : first;
            last = sample;
        }
    }

    private synchronized void summarise() {
        if (summarised) {
            return;
        }
        summarised = true;
        boolean counted = meter.hasEnergyCounter() && first != null && last != first;
        double seconds = counted ? (last.wallNanos() - first.wallNanos()) / 1e9 : Double.NaN;
        double joules = counted ? meter.joules(first, last) : Double.NaN;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("summary", true);
        summary.put("gpu", gpu());
        summary.put("meter", meter.describe());
        summary.put("source", meter.source().name());
        summary.put("readings", readings);
        summary.put("counter_seconds", seconds);
        summary.put("counter_joules", joules);
        summary.put("counter_watts", joules / seconds);
        summary.put("counter_measured", counted);
        summary.put("counter_how", meter.hasEnergyCounter()
                ? "difference of nvmlDeviceGetTotalEnergyConsumption between the first and last readable reading"
                : "none: the device has no energy counter");
        summary.put("readings_seconds", readingSeconds);
        summary.put("readings_joules", readingJoules);
        summary.put("readings_watts", readingJoules / readingSeconds);
        summary.put("readings_measured", readingSeconds > 0);
        summary.put("readings_how", "nvmlDeviceGetPowerUsage readings (the driver's short-window average) integrated by trapezoids"
                + " between successive readings: an estimate between readings");
        summary.put("counter_minus_readings_percent", (joules / seconds - readingJoules / readingSeconds) / (readingJoules / readingSeconds) * 100);
        print(summary);
    }

    private Map<String, Object> gpu() {
        Map<String, Object> gpu = new LinkedHashMap<>();
        gpu.put("index", meter.device().index());
        gpu.put("name", meter.device().name());
        gpu.put("uuid", meter.device().uuid());
        return gpu;
    }

    /** One JSON object on one line, flushed at once so that a killed probe leaves every line it read. */
    private static void print(Map<String, ?> object) {
        System.out.println(json(object));
        System.out.flush();
    }

    private static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("{");
            map.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(json(k.toString())).append(':').append(json(v)));
            return b.append('}').toString();
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : d.toString();
        }
        if (value instanceof String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }
        return String.valueOf(value); // numbers and booleans
    }
}

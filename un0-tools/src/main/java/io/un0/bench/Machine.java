package io.un0.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line description of the machine a figure was measured on. */
public final class Machine {

    private Machine() {
    }

    public static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException | SecurityException e) {
            // not Linux: keep the placeholder
        }
        String rapl = Files.isReadable(Path.of("/sys/class/powercap/intel-rapl:0/energy_uj")) ? "RAPL readable" : "no RAPL";
        return String.format("%s, %d cores visible to the JVM, %s %s, Java %s, %s", cpu,
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), rapl);
    }
}

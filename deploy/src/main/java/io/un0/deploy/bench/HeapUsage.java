package io.un0.deploy.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running JVM's heap as the JDK's {@code jcmd} reports it ({@code GC.heap_info}): bytes used by objects and bytes the
 * heap holds from the system, summed over its generations.
 */
public record HeapUsage(long usedBytes, long committedBytes) {

    /** A generation's line, e.g. {@code garbage-first heap   total 17408K, used 2884K [0x…}; metaspace lines have no total. */
    private static final Pattern GENERATION = Pattern.compile("total (\\d+)([KMG]), used (\\d+)([KMG])");

    /**
     * Asks the JVM {@code pid} for a full collection ({@code GC.run}), then for its heap, so that what is left is what
     * the process still holds on to, not garbage waiting for a collection.
     */
    public static HeapUsage afterFullCollection(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        return parse(jcmd(pid, "GC.heap_info"));
    }

    /**
     * Sums every generation's line: one for G1, young and old for the serial and parallel collectors.
     *
     * @throws IllegalArgumentException quoting the output when it has no such line (a collector printing another form)
     */
    static HeapUsage parse(String heapInfo) {
        Matcher m = GENERATION.matcher(heapInfo);
        long used = 0;
        long committed = 0;
        boolean found = false;
        while (m.find()) {
            found = true;
            committed += bytes(m.group(1), m.group(2));
            used += bytes(m.group(3), m.group(4));
        }
        if (!found) {
            throw new IllegalArgumentException("no 'total …, used …' line in jcmd's GC.heap_info output:\n" + heapInfo);
        }
        return new HeapUsage(used, committed);
    }

    private static long bytes(String amount, String unit) {
        int shift = switch (unit) {
            case "K" -> 10;
            case "M" -> 20;
            default -> 30;
        };
        return Long.parseLong(amount) << shift;
    }

    /** The jcmd beside the java running this launcher, which also runs every service. */
    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("this JVM's command is unknown")));
        Path jcmd = java.resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd)) {
            throw new IllegalStateException("no jcmd beside " + java + ": the heap figures need a JDK, not a JRE");
        }
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + command + " failed:\n" + out);
        }
        return out;
    }
}

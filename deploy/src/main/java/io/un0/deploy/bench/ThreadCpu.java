package io.un0.deploy.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CPU of the mesh's processes went, thread by thread, from the kernel's own accounting
 * ({@code /proc/<pid>/task/<tid>/stat}): what a profiler's samples of Java frames leave out (the JIT compilers, the
 * garbage collector, native inference). Threads are grouped by name with their numbers taken out. Linux only: elsewhere
 * a reading is empty.
 */
final class ThreadCpu {

    /** CPU-seconds per process and thread group at one moment. */
    record Reading(Map<String, Map<String, Double>> seconds) {
    }

    private static final Path PROC = Path.of("/proc");
    /** The kernel counts in ticks of 1/100 s (USER_HZ on every Linux we run on). */
    private static final double TICKS_PER_SECOND = 100;

    private ThreadCpu() {
    }

    /** @param pids process name → operating-system process id */
    static Reading read(Map<String, Long> pids) {
        Map<String, Map<String, Double>> seconds = new TreeMap<>();
        pids.forEach((name, pid) -> {
            Map<String, Double> groups = new HashMap<>();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("task"))) {
                for (Path task : tasks) {
                    try {
                        String comm = Files.readString(task.resolve("comm")).strip();
                        String stat = Files.readString(task.resolve("stat"));
                        // Fields after the command, which is in parentheses and may hold spaces: utime and stime are 14th and 15th.
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                        groups.merge(group(comm), cpu, Double::sum);
                    } catch (IOException | RuntimeException gone) {
                        // A thread that ended between listing and reading: its time is lost to this reading.
                    }
                }
            } catch (IOException notLinuxOrGone) {
                return;
            }
            seconds.put(name, groups);
        });
        return new Reading(seconds);
    }

    /** Per process, its thread groups' CPU-seconds between two readings, largest first. */
    static Map<String, Map<String, Double>> between(Reading from, Reading to) {
        Map<String, Map<String, Double>> delta = new TreeMap<>();
        to.seconds().forEach((process, groups) -> {
            Map<String, Double> before = from.seconds().getOrDefault(process, Map.of());
            Map<String, Double> d = new LinkedHashMap<>();
            groups.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> d.put(e.getKey(), e.getValue()));
            delta.put(process, d);
        });
        return delta;
    }

    /** What a thread does, from its name: the JVM's own kinds named as such, the rest by name without numbers. */
    private static String group(String comm) {
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return "JIT compiler";
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")) {
            return "GC and VM";
        }
        return comm.replaceAll("[0-9]+", "N");
    }
}

package io.un0.energy;

import com.sun.management.OperatingSystemMXBean;
import io.un0.proto.v1.EnergySource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Intel/AMD RAPL through the Linux powercap interface: the package domains' cumulative energy counters
 * ({@code intel-rapl:N/energy_uj}, wrapping at {@code max_energy_range_uj}). A package powers every process on it,
 * so the joules of a piece of work are the package's joules over the interval times this process's share of the
 * busy CPU time the whole machine spent meanwhile ({@code /proc/stat}). Marked MEASURED_RAPL.
 */
public final class RaplPower implements PowerMeter {

    /** One package domain's counter, in microjoules, and where it wraps. */
    private record Domain(Path energy, double wrapJoules) {
    }

    private final List<Domain> domains;
    private final Path root;
    private final Path procStat;
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private RaplPower(Path root, List<Domain> domains, Path procStat) {
        this.root = root;
        this.procStat = procStat;
        this.domains = List.copyOf(domains);
    }

    /**
     * Empty where there is no readable package domain (no RAPL, as on VMs, or counters readable by root only).
     *
     * @param procStat the kernel's CPU accounting, {@code /proc/stat}
     */
    public static Optional<RaplPower> open(Path powercap, Path procStat) {
        List<Domain> domains = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(powercap, "intel-rapl:*")) {
            for (Path dir : dirs) {
                // Top-level domains only (intel-rapl:0); sub-domains (intel-rapl:0:0) are parts of them.
                if (dir.getFileName().toString().matches("intel-rapl:\\d+") && Files.isReadable(dir.resolve("energy_uj"))) {
                    Long.parseLong(Files.readString(dir.resolve("energy_uj")).trim()); // readable, not only listed
                    domains.add(new Domain(dir.resolve("energy_uj"), Long.parseLong(Files.readString(dir.resolve("max_energy_range_uj")).trim()) / 1e6));
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
        return domains.isEmpty() || !Files.isReadable(procStat) ? Optional.empty() : Optional.of(new RaplPower(powercap, domains, procStat));
    }

    @Override
    public Sample sample() {
        double joules = 0;
        for (Domain d : domains) {
            try {
                joules += Long.parseLong(Files.readString(d.energy()).trim()) / 1e6;
            } catch (IOException | RuntimeException e) {
                return new Sample(System.nanoTime(), cpuSeconds(), Double.NaN, Double.NaN);
            }
        }
        return new Sample(System.nanoTime(), cpuSeconds(), machineCpuSeconds(), joules);
    }

    @Override
    public double joules(Sample from, Sample to) {
        if (Double.isNaN(from.counter()) || Double.isNaN(to.counter())) {
            return 0;
        }
        double package_ = to.counter() - from.counter();
        if (package_ < 0) {
            // One counter wrapped during the interval (the sum of several can wrap only one way at a time here).
            package_ += domains.get(0).wrapJoules();
        }
        double machine = to.machineCpuSeconds() - from.machineCpuSeconds();
        double own = to.cpuSeconds() - from.cpuSeconds();
        // The kernel counts in ticks: over a short interval the machine may show less than this process did.
        double share = machine > 0 ? Math.min(1, own / machine) : 1;
        return package_ * share;
    }

    private double cpuSeconds() {
        return os.getProcessCpuTime() / 1e9;
    }

    /** Busy time of all CPUs: user, nice, system, irq, softirq and steal ticks of the "cpu" line, at 100 ticks a second. */
    private double machineCpuSeconds() {
        try {
            String[] f = Files.readAllLines(procStat).get(0).trim().split("\\s+");
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
            return busy / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    @Override
    public EnergySource source() {
        return EnergySource.ENERGY_SOURCE_MEASURED_RAPL;
    }

    @Override
    public String describe() {
        return "measured: RAPL package energy (" + domains.size() + " domain(s) under " + root
                + ") times this process's share of the machine's busy CPU time";
    }
}

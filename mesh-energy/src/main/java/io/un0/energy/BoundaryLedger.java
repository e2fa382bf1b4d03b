package io.un0.energy;

import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.ProcessEnergy;
import io.un0.proto.mesh.v1.ProcessRole;
import io.un0.proto.v1.EnergySource;
import io.un0.vocabulary.Sci;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The mesh's processes' energy reports over a trailing window, and what they drew beyond the jobs' engine runs per
 * image served in it ({@link #share}). A process silent for longer than the window has stopped and counts no more;
 * a process that restarted counts from its new start.
 */
public final class BoundaryLedger {

    /** One process's first and last report of an interval; both of the same run (the same {@code started}). */
    public record Interval(ProcessEnergy from, ProcessEnergy to) {

        public Interval {
            if (!from.getProcess().equals(to.getProcess()) || !from.getStarted().equals(to.getStarted())) {
                throw new IllegalArgumentException("an interval takes two reports of one run of one process: " + from.getProcess() + ", " + to.getProcess());
            }
        }

        double seconds() {
            return Duration.between(ProtoTime.instant(from.getSent()), ProtoTime.instant(to.getSent())).toNanos() / 1e9;
        }
    }

    private final Duration window;
    private final Map<String, Deque<ProcessEnergy>> reports = new HashMap<>();

    public BoundaryLedger(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the window must be positive: " + window);
        }
        this.window = window;
    }

    /** Keeps a report; an older one than the process's last, or one of an earlier run, is ignored. */
    public synchronized void record(ProcessEnergy r) {
        Deque<ProcessEnergy> runs = reports.computeIfAbsent(r.getProcess(), p -> new ArrayDeque<>());
        ProcessEnergy last = runs.peekLast();
        if (last != null) {
            Instant lastStart = ProtoTime.instant(last.getStarted());
            Instant start = ProtoTime.instant(r.getStarted());
            if (start.isBefore(lastStart) || (start.equals(lastStart) && !ProtoTime.instant(r.getSent()).isAfter(ProtoTime.instant(last.getSent())))) {
                return;
            }
            if (start.isAfter(lastStart)) {
                runs.clear();
            }
        }
        runs.addLast(r);
        // Keep one report at or before the window's start, as the interval's beginning.
        Instant horizon = ProtoTime.instant(r.getSent()).minus(window);
        while (runs.size() > 2) {
            Iterator<ProcessEnergy> oldest = runs.iterator();
            oldest.next();
            if (ProtoTime.instant(oldest.next().getSent()).isAfter(horizon)) {
                break;
            }
            runs.removeFirst();
        }
    }

    /** Each process's latest report kept: the joules its current run drew since it started, with their source. */
    public synchronized List<ProcessEnergy> latest() {
        return reports.values().stream().map(Deque::peekLast).toList();
    }

    /**
     * Over the window ending {@code now}: empty where no image was served in it (there is nothing to share among).
     *
     * @param gramsPerKwh a region's grid intensity; for an empty region, the figure the caller prices unknown regions at
     */
    public synchronized Optional<BoundaryShare> share(Instant now, ToDoubleFunction<String> gramsPerKwh) {
        Instant start = now.minus(window);
        // A process silent for two windows has stopped (a gateway restarted under a new id): forgotten, so that the
        // ledger does not grow with every process the mesh ever ran.
        Instant forgotten = start.minus(window);
        reports.values().removeIf(runs -> runs.isEmpty() || ProtoTime.instant(runs.peekLast().getSent()).isBefore(forgotten));
        List<Interval> intervals = new ArrayList<>();
        for (Deque<ProcessEnergy> runs : reports.values()) {
            ProcessEnergy last = runs.peekLast();
            if (ProtoTime.instant(last.getSent()).isBefore(start)) {
                continue;
            }
            ProcessEnergy from = runs.peekFirst();
            for (ProcessEnergy r : runs) {
                if (!ProtoTime.instant(r.getSent()).isAfter(start)) {
                    from = r;
                }
            }
            if (from != last) {
                intervals.add(new Interval(from, last));
            }
        }
        return over(intervals, window, gramsPerKwh);
    }

    /**
     * The share over intervals of several processes, each scaled to {@code window}: the pure computation behind
     * {@link #share}, also for a benchmark's own window between two readings of the topic.
     */
    public static Optional<BoundaryShare> over(Collection<Interval> intervals, Duration window, ToDoubleFunction<String> gramsPerKwh) {
        double seconds = window.toNanos() / 1e9;
        double images = 0;
        double served = 0;
        double drawn = 0;
        double workers = 0;
        double grams = 0;
        EnergySource weakest = EnergySource.ENERGY_SOURCE_MEASURED_NVML;
        Map<String, Set<String>> rolesByModel = new TreeMap<>();
        List<String> processes = new ArrayList<>();
        for (Interval i : intervals) {
            double span = i.seconds();
            if (span <= 0) {
                continue;
            }
            double scale = seconds / span;
            double processImages = (i.to().getImages() - i.from().getImages()) * scale;
            double processServed = (i.to().getServedJoules() - i.from().getServedJoules()) * scale;
            double processDrawn = (i.to().getEnergy().getJoules() - i.from().getEnergy().getJoules()) * scale;
            images += processImages;
            served += processServed;
            drawn += processDrawn;
            if (i.to().getRole() == ProcessRole.PROCESS_ROLE_WORKER) {
                workers += processDrawn;
            }
            grams += Sci.operationalGrams(Math.max(0, processDrawn - processServed), gramsPerKwh.applyAsDouble(i.to().getRegion()));
            EnergySource source = i.to().getEnergy().getSource();
            weakest = weaker(weakest, source);
            rolesByModel.computeIfAbsent(i.to().getEnergy().getModel(), m -> new TreeSet<>()).add(role(i.to().getRole()));
            processes.add(i.to().getProcess() + " (" + label(source) + ")");
        }
        if (images <= 0) {
            return Optional.empty();
        }
        processes.sort(String::compareTo);
        List<String> models = new ArrayList<>();
        rolesByModel.forEach((model, roles) -> models.add(String.join(", ", roles) + ": " + model));
        return Optional.of(new BoundaryShare(images, served, workers, drawn, grams, window, weakest, String.join("; ", models), processes));
    }

    /**
     * The weaker of two sources, which a figure adding both carries: measured beats modelled; among measured, the
     * GPU's own counter beats a CPU package's share.
     */
    public static EnergySource weaker(EnergySource a, EnergySource b) {
        return rank(b) > rank(a) ? b : a;
    }

    private static int rank(EnergySource s) {
        return switch (s) {
            case ENERGY_SOURCE_MEASURED_NVML -> 0;
            case ENERGY_SOURCE_MEASURED_RAPL -> 1;
            default -> 2;
        };
    }

    private static String label(EnergySource s) {
        return switch (s) {
            case ENERGY_SOURCE_MEASURED_NVML -> "NVML";
            case ENERGY_SOURCE_MEASURED_RAPL -> "RAPL";
            default -> "modelled";
        };
    }

    private static String role(ProcessRole r) {
        return ProcessEnergyReporter.name(r, "").replace("/", "");
    }
}

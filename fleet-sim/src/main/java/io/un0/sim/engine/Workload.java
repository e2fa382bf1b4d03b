package io.un0.sim.engine;

import io.un0.routing.Urgency;
import io.un0.sim.scenario.Scenario;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The scenario's traffic as a deterministic stream of jobs for a seed: interactive requests and deferrable batch
 * jobs, each a Poisson process whose rate follows the daily load curve (drawn by thinning against the peak rate).
 */
public final class Workload {

    private final Scenario.Workload spec;
    private final double capacity;
    private final List<String> regions;
    private final double end;
    private final Stream interactive;
    private final Stream deferrable;
    private long nextId;

    public Workload(Scenario scenario) {
        this.spec = scenario.workload();
        this.capacity = scenario.capacityImagesPerSecond();
        this.regions = scenario.regions();
        this.end = java.time.Duration.between(scenario.start(), scenario.end()).toSeconds();
        double startHour = scenario.start().getEpochSecond() / 3600.0 % 24;
        SplittableRandom root = new SplittableRandom(spec.seed());
        this.interactive = new Stream(root.split(), (1 - spec.deferrableShare()) / spec.interactiveImages(), startHour);
        this.deferrable = new Stream(root.split(), spec.deferrableShare() / spec.batchImages(), startHour);
    }

    /** Load as a share of fleet capacity, {@code seconds} after the start. */
    private double load(double seconds, double startHour) {
        double hour = (startHour + seconds / 3600.0) % 24;
        double amplitude = spec.peakLoad() - spec.meanLoad();
        return spec.meanLoad() + amplitude * Math.cos(2 * Math.PI * (hour - spec.peakHourUtc()) / 24);
    }

    /** The next job in arrival order, or null after the scenario's end. */
    public SimJob next() {
        double ti = interactive.peek();
        double td = deferrable.peek();
        if (Math.min(ti, td) >= end) {
            return null;
        }
        if (ti <= td) {
            interactive.advance();
            String home = interactive.random.nextDouble() < spec.residencyShare() ? regions.get(interactive.random.nextInt(regions.size())) : null;
            return new SimJob(nextId++, ti, spec.interactiveImages(), 1, Urgency.INTERACTIVE, ti + spec.interactiveDeadlineSeconds(), home);
        }
        deferrable.advance();
        return new SimJob(nextId++, td, spec.batchImages(), 1, Urgency.DEFERRABLE, td + spec.deferralHours() * 3600.0, null);
    }

    /** One Poisson arrival process: {@code jobsPerCapacity} × capacity × load(t) jobs per second. */
    private final class Stream {
        final SplittableRandom random;
        final double peakRate;
        final double jobsPerCapacity;
        final double startHour;
        double next;

        Stream(SplittableRandom random, double jobsPerCapacity, double startHour) {
            this.random = random;
            this.jobsPerCapacity = jobsPerCapacity;
            this.startHour = startHour;
            this.peakRate = jobsPerCapacity * capacity * spec.peakLoad();
            this.next = peakRate > 0 ? draw(0) : Double.POSITIVE_INFINITY;
        }

        double peek() {
            return next;
        }

        void advance() {
            next = draw(next);
        }

        private double draw(double from) {
            double t = from;
            while (true) {
                t += -Math.log(1 - random.nextDouble()) / peakRate;
                if (t >= end || random.nextDouble() * peakRate <= jobsPerCapacity * capacity * load(t, startHour)) {
                    return t;
                }
            }
        }
    }
}

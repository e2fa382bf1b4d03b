package io.un0.sim.engine;

import io.un0.routing.CapacityHistory;
import io.un0.routing.DeferralPlan;
import io.un0.routing.DeferrableArrivals;
import io.un0.routing.FleetView;
import io.un0.routing.GridSignal;
import io.un0.routing.InteractiveHistory;
import io.un0.routing.JobView;
import io.un0.routing.PoolView;
import io.un0.routing.PowerBudgets;
import io.un0.routing.Rate;
import io.un0.routing.Route;
import io.un0.routing.RoutingPolicy;
import io.un0.routing.Urgency;
import io.un0.sim.scenario.Scenario;
import io.un0.sim.scenario.Traces;
import io.un0.vocabulary.Precision;
import io.un0.vocabulary.Sci;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A discrete-event run of one routing policy over a scenario. Events: job arrivals, held jobs coming back (at their
 * planned start, or when a pool runs dry for a job that found no room), and a tick every minute that moves budgets
 * (every 5 minutes) and grid signals (every hour) on. Pools run between events. The
 * policy is called exactly as the scheduler calls it: on a read-only view of the fleet at that instant, with the
 * plan of deferred work the scheduler keeps (what it has held, where and when, and what it expects to be free). A
 * held job is decided again when its hour comes, with its planned slot given back first, as the scheduler does.
 */
public final class Simulation {

    static final double TICK = 60;
    public static final double BUDGET_INTERVAL_SECONDS = Traces.SOLAR_STEP.toSeconds();

    private final Scenario scenario;
    private final Traces traces;
    private final List<SimPool> pools = new ArrayList<>();
    private final Map<String, SimPool> poolsByName = new HashMap<>();
    private final List<String> sites;
    private final Forecaster forecaster;
    private final int planHours;
    /** Deferred work planned per pool and absolute hour; interactive work each pool took and what each could run, as the scheduler keeps them. */
    private double[][] planned;
    private InteractiveHistory interactiveSeen;
    private CapacityHistory capacitySeen;
    private DeferrableArrivals deferrableSeen;
    /** The plan's usable evaluations per pool for the hours from {@link #usableFrom}: see {@link #usable}. */
    private Map<String, double[]> usableByPool;
    private int usableFrom = -1;
    private DecisionLog log = DecisionLog.NONE;

    public Simulation(Scenario scenario, Traces traces, Forecaster forecaster) {
        this.scenario = scenario;
        this.traces = traces;
        this.forecaster = forecaster;
        this.sites = scenario.sites().stream().map(Scenario.Site::name).toList();
        this.planHours = scenario.workload().deferralHours() + 2;
        for (Scenario.Pool p : scenario.pools()) {
            SimPool pool = new SimPool(pools.size(), p.name(), scenario.region(p), sites.indexOf(p.site()), p.idleWatts(), p.embodiedGramsPerHour());
            pools.add(pool);
            poolsByName.put(p.name(), pool);
        }
    }

    /**
     * Each call of the policy, with the view it was shown and its answer: what a replay of the same jobs through the live
     * scheduler compares its decisions with.
     */
    public interface DecisionLog {
        DecisionLog NONE = (job, view, route) -> { };

        void decided(JobView job, FleetView view, Optional<Route> route);
    }

    /** A policy as the simulator runs it. {@code keepsBudgets}: whether pools are held to the budgets it plans with. */
    public record Contender(String name, RoutingPolicy policy, boolean keepsBudgets) {
    }

    /** Seconds from the start to when the last deferrable job's deadline has passed. */
    public double horizon() {
        return Duration.between(scenario.start(), scenario.end()).toSeconds() + scenario.workload().deferralHours() * 3600.0 + 3600;
    }

    /** The site budgets in force, per site and budget interval, over the whole horizon. */
    public double[][] siteBudgets() {
        int intervals = (int) Math.ceil(horizon() / BUDGET_INTERVAL_SECONDS) + 1;
        double[][] budgets = new double[sites.size()][intervals];
        for (int s = 0; s < sites.size(); s++) {
            for (int b = 0; b < intervals; b++) {
                budgets[s][b] = siteBudget(scenario.sites().get(s), b * BUDGET_INTERVAL_SECONDS);
            }
        }
        return budgets;
    }

    private double siteBudget(Scenario.Site site, double at) {
        if (site.solar() != null) {
            Scenario.Solar solar = site.solar();
            return solar.batteryWatts() + solar.panelWatts() * traces.solar(site.name(), at);
        }
        return site.budgetWatts() == null ? Double.POSITIVE_INFINITY : site.budgetWatts();
    }

    /** The sites' power budgets at {@code at} seconds from the start: what operators would have set, as the scheduler reads them. */
    public PowerBudgets budgets(double at) {
        Map<String, Double> siteBudgets = new HashMap<>();
        for (Scenario.Site s : scenario.sites()) {
            double b = siteBudget(s, at);
            if (!Double.isInfinite(b)) {
                siteBudgets.put(s.name(), b);
            }
        }
        return new PowerBudgets(siteBudgets, Map.of());
    }

    /** Every pool as the policy sees it at {@code at}, with the site budgets of that instant. */
    public List<PoolView> poolViews(double at) {
        List<PoolView> views = new ArrayList<>();
        for (Scenario.Pool p : scenario.pools()) {
            views.add(new PoolView(p.name(), p.site(), scenario.region(p), p.device(), p.rates(), 1, p.capacityImages(), 0, 0, 0, p.idleWatts(),
                    p.idleWatts(), Double.POSITIVE_INFINITY, p.embodiedGramsPerHour() / 3600));
        }
        return budgets(at).apply(views);
    }

    private Map<String, GridSignal> grid(double at) {
        Map<String, GridSignal> grid = new HashMap<>();
        for (String region : scenario.regions()) {
            grid.put(region, forecaster.signal(region, at, instant(at), planHours));
        }
        return grid;
    }

    private Instant instant(double seconds) {
        return scenario.start().plusNanos((long) (seconds * 1e9));
    }

    public RunResult run(Contender contender) {
        return run(contender, DecisionLog.NONE);
    }

    public RunResult run(Contender contender, DecisionLog log) {
        this.log = log;
        pools.forEach(p -> {
            if (p.busy()) {
                throw new IllegalStateException("a simulation runs once");
            }
        });
        double horizon = horizon();
        Ledger ledger = new Ledger(sites.size(), horizon, BUDGET_INTERVAL_SECONDS);
        int hours = (int) Math.ceil(horizon / 3600) + planHours + 1;
        planned = new double[pools.size()][hours];
        interactiveSeen = new InteractiveHistory(scenario.start());
        capacitySeen = new CapacityHistory();
        deferrableSeen = new DeferrableArrivals(scenario.start());
        usableByPool = null;
        usableFrom = -1;
        Workload workload = new Workload(scenario);
        double end = Duration.between(scenario.start(), scenario.end()).toSeconds();
        PriorityQueue<Held> held = new PriorityQueue<>();
        List<PoolView> budgeted = poolViews(0);
        recordCapacity(budgeted, 0);
        FleetView base = new FleetView(instant(0), budgeted, grid(0));
        long hour = 0;
        long interval = 0;
        SimJob next = workload.next();
        double tick = TICK;
        while (next != null || !held.isEmpty() || tick <= end) {
            // Held jobs come back at their own instant, not at the next tick: the scheduler offers them again every
            // retry interval (100 ms by default), far finer than the tick.
            double wake = held.isEmpty() ? tick : Math.min(tick, held.peek().release());
            boolean arrival = next != null && next.arrival() < wake;
            double now = arrival ? next.arrival() : wake;
            if (now > horizon) {
                break;
            }
            for (SimPool p : pools) {
                p.advance(now, contender.keepsBudgets() ? budgeted.get(p.index) : null, traces, ledger);
            }
            if (arrival) {
                SimJob job = next;
                next = workload.next();
                if (job.urgency() == Urgency.DEFERRABLE) {
                    deferrableSeen.record(instant(now), (double) job.images() * job.steps());
                }
                decide(contender, new Held(now, job, -1, -1, 0), now, base, held, ledger);
                continue;
            }
            if (now >= tick) {
                tick += TICK;
            }
            boolean changed = false;
            if ((long) (now / BUDGET_INTERVAL_SECONDS) != interval) {
                interval = (long) (now / BUDGET_INTERVAL_SECONDS);
                budgeted = poolViews(now);
                recordCapacity(budgeted, now);
                changed = true;
            }
            if ((long) (now / 3600) != hour) {
                hour = (long) (now / 3600);
                changed = true;
            }
            if (changed) {
                base = new FleetView(instant(now), budgeted, grid(now));
            }
            List<Held> due = new ArrayList<>();
            while (!held.isEmpty() && held.peek().release() <= now) {
                due.add(held.poll());
            }
            for (Held h : due) {
                if (h.plannedPool() >= 0) {
                    planned[h.plannedPool()][h.plannedHour()] -= h.plannedEvals();
                }
                decide(contender, h, now, base, held, ledger);
            }
        }
        for (SimPool p : pools) {
            p.advance(horizon, contender.keepsBudgets() ? budgeted.get(p.index) : null, traces, ledger);
            if (p.busy()) {
                throw new IllegalStateException("pool " + p.name + " still busy at the horizon: the scenario overloads the fleet");
            }
        }
        double servedImages = Math.max(1, ledger.images);
        return new RunResult(contender.name(), ledger.jobs, ledger.images, ledger.shed, ledger.shedBy, ledger.missedBy,
                ledger.grams / servedImages, ledger.joules / servedImages, Sci.kilowattHours(ledger.idleJoules), ledger.idleGrams,
                (double) ledger.met / Math.max(1, ledger.jobs), ledger.violations(siteBudgets()), ledger.interactivePercentile(0.5),
                ledger.interactivePercentile(0.99), ledger.decisions, ledger.deferrals, ledger.policyNanos / 1e3 / Math.max(1, ledger.decisions));
    }

    private void decide(Contender contender, Held h, double now, FleetView base, PriorityQueue<Held> held, Ledger ledger) {
        SimJob job = h.job();
        int[] queuedImages = new int[pools.size()];
        double[] queuedEvals = new double[pools.size()];
        double[] urgentEvals = new double[pools.size()];
        for (SimPool p : pools) {
            queuedImages[p.index] = p.queuedImages;
            queuedEvals[p.index] = p.queuedEvals;
            urgentEvals[p.index] = p.urgentEvals;
        }
        FleetView view = base.at(instant(now)).withQueues(queuedImages, queuedEvals, urgentEvals);
        if (job.urgency() == Urgency.DEFERRABLE) {
            view = view.withPlan(plan(now));
        }
        JobView jobView = new JobView(Long.toString(job.id()), job.images(), job.steps(), job.steps(), Set.of(),
                job.homeRegion() == null ? Set.of() : Set.of(job.homeRegion()), job.urgency(), instant(job.deadline()));
        long t0 = System.nanoTime();
        Optional<Route> route = contender.policy().route(jobView, view);
        ledger.policyNanos += System.nanoTime() - t0;
        log.decided(jobView, view, route);
        ledger.decisions++;
        if (route.isEmpty()) {
            if (job.urgency() == Urgency.INTERACTIVE || now + TICK > job.deadline()) {
                ledger.shed(job);
            } else {
                held.add(new Held(retry(now, contender.keepsBudgets() ? base.pools() : null), job, -1, -1, 0));
            }
            return;
        }
        Route r = route.get();
        SimPool pool = poolsByName.get(r.pool());
        if (r.defers(view.at())) {
            ledger.deferrals++;
            double release = Duration.between(scenario.start(), r.start()).toNanos() / 1e9;
            double evals = (double) job.images() * r.steps();
            int hour = (int) (release / 3600);
            planned[pool.index][hour] += evals;
            held.add(new Held(release, job, pool.index, hour, evals));
            return;
        }
        Rate rate = view.pools().get(pool.index).rates().get(r.precision());
        pool.enqueue(job, r.precision(), r.steps(), rate, now);
        if (job.urgency() == Urgency.INTERACTIVE) {
            interactiveSeen.record(pool.name, instant(now), (double) job.images() * r.steps());
        }
    }

    /**
     * When a job that found no room is offered again: when the first busy pool runs dry, within a tick at most. The
     * scheduler retries every 100 ms and sees a worker's room at its next heartbeat, so it refills a pool before it
     * stands idle; retrying at every finished job would do the same at many times the simulator's cost.
     *
     * @param budgeted the pools as budgeted now; null where pools run flat out
     */
    private double retry(double now, List<PoolView> budgeted) {
        double at = now + TICK;
        for (SimPool p : pools) {
            at = Math.min(at, p.drainedAt(budgeted == null ? null : budgeted.get(p.index)));
        }
        // A pool finishing at this very instant has already been advanced to it: never offer the job again at once.
        return Math.max(at, Math.nextUp(now));
    }

    /**
     * What the scheduler can know now of the hours ahead: each pool's capacity as it was at that time yesterday
     * ({@link CapacityHistory}: solar repeats by the day; fixed budgets do not move), less the interactive work it
     * sent that pool at that hour yesterday ({@link InteractiveHistory}), less what it has already planned there.
     */
    private DeferralPlan plan(double now) {
        int first = (int) (now / 3600);
        Map<String, double[]> usable = usable(first);
        Map<String, double[]> free = new HashMap<>();
        for (SimPool p : pools) {
            double[] f = usable.get(p.name).clone();
            for (int k = 0; k < planHours; k++) {
                f[k] -= planned[p.index][first + k];
            }
            free.put(p.name, f);
        }
        return new DeferralPlan(instant(first * 3600.0), usable, free, deferrableSeen.perHour(instant(now)));
    }

    /**
     * What each pool is expected to have for deferred work in the plan's hours from hour {@code first}. Each hour reads
     * the histories a day before it; while the plan spans at most a day those hours are over, so the figures hold for
     * the whole hour and are read once per hour, not once per decision.
     */
    private Map<String, double[]> usable(int first) {
        if (first == usableFrom && planHours <= 24) {
            return usableByPool;
        }
        Map<String, double[]> usable = new HashMap<>();
        for (SimPool p : pools) {
            double[] u = new double[planHours];
            for (int k = 0; k < planHours; k++) {
                Instant hourStart = instant((first + k) * 3600.0);
                u[k] = interactiveSeen.usable(p.name, hourStart, capacitySeen.evalsPerHour(p.name, hourStart));
            }
            usable.put(p.name, u);
        }
        usableByPool = Map.copyOf(usable);
        usableFrom = first;
        return usableByPool;
    }

    /** What each pool can run within the budgets in force from {@code at}, as the scheduler records it on every pass. */
    private void recordCapacity(List<PoolView> budgeted, double at) {
        for (PoolView p : budgeted) {
            capacitySeen.record(p.pool(), instant(at), p.fastestBudgetedEvalsPerSecond());
        }
    }

    /** A job waiting for {@code release}, with the slot planned for it (pool −1: none). */
    private record Held(double release, SimJob job, int plannedPool, int plannedHour, double plannedEvals) implements Comparable<Held> {
        @Override
        public int compareTo(Held o) {
            int c = Double.compare(release, o.release);
            return c != 0 ? c : Long.compare(job.id(), o.job.id());
        }
    }
}

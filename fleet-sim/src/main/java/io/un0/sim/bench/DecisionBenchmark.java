package io.un0.sim.bench;

import io.un0.routing.CarbonAwarePolicy;
import io.un0.routing.CarbonBlindBaseline;
import io.un0.routing.DeferralPlan;
import io.un0.routing.Fleet;
import io.un0.routing.FleetView;
import io.un0.routing.GridSignal;
import io.un0.routing.JobView;
import io.un0.routing.Option;
import io.un0.routing.PoolView;
import io.un0.routing.PowerBudgets;
import io.un0.routing.Rate;
import io.un0.routing.Route;
import io.un0.routing.RoutingPolicy;
import io.un0.routing.Urgency;
import io.un0.routing.WorkerState;
import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.GridIntensity;
import io.un0.vocabulary.Precision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One routing decision of the carbon-aware policy on a fleet of 1,000 pools built from 10,000 workers' heartbeats
 * in 40 regions, with hourly forecasts, site budgets and queues drawn at random so that many of the greenest pools
 * are full or over budget. Jobs cycle through a mix: unrestricted interactive, data-resident, fp32-only, and
 * deferrable with a 12-hour window. The view is built once per trial, as the scheduler builds one per pass;
 * {@link #snapshot} measures that build on its own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionBenchmark {

    static final Instant NOW = Instant.parse("2022-06-15T12:00:00Z");

    @Param("1000")
    int pools;

    @Param("10")
    int workersPerPool;

    private Fleet fleet;
    private PowerBudgets budgets;
    private Map<String, GridSignal> grid;
    private FleetView view;
    private DeferralPlan plan;
    private JobView[] jobs;
    private int next;
    private final RoutingPolicy policy = new CarbonAwarePolicy(CarbonAwarePolicy.Settings.DEFAULT);

    @Setup(Level.Trial)
    public void build() {
        SplittableRandom random = new SplittableRandom(42);
        int regions = 40;
        grid = new HashMap<>();
        for (int r = 0; r < regions; r++) {
            double now = 20 + random.nextDouble() * 700;
            List<GridSignal.Point> forecast = new ArrayList<>();
            for (int h = 1; h <= 13; h++) {
                forecast.add(new GridSignal.Point(NOW.plus(Duration.ofHours(h)), Duration.ofHours(1), Math.max(5, now * (0.6 + 0.8 * random.nextDouble()))));
            }
            grid.put("R" + r, new GridSignal("R" + r, GridIntensity.of(now, "bench"), forecast));
        }
        fleet = new Fleet(Duration.ofSeconds(10));
        Map<String, Double> siteCaps = new HashMap<>();
        for (int p = 0; p < pools; p++) {
            DeviceClass device = DeviceClass.values()[p % 3];
            String site = "site-" + p / 4;
            Map<Precision, Rate> rates = device == DeviceClass.NPU ? Map.of(Precision.INT8, new Rate(800, 0.05))
                    : Map.of(Precision.INT8, new Rate(device == DeviceClass.GPU ? 4000 : 300, device == DeviceClass.GPU ? 0.08 : 0.3),
                    Precision.FP32, new Rate(device == DeviceClass.GPU ? 2000 : 150, device == DeviceClass.GPU ? 0.16 : 0.6));
            for (int w = 0; w < workersPerPool; w++) {
                // A third of the pools are near full, so that the walk from the greenest option rejects some.
                int capacity = 512;
                int queued = random.nextInt(3) == 0 ? 500 + random.nextInt(12) : random.nextInt(200);
                fleet.observe(new WorkerState("w-" + p + "-" + w, "pool-" + p, site, "R" + (p % regions), device, rates, 60, 150, 0.01,
                        capacity, queued, queued, queued, NOW));
            }
            if (p % 10 == 0) {
                siteCaps.put(site, 100.0 + random.nextInt(2000));
            }
        }
        budgets = new PowerBudgets(siteCaps, Map.of());
        view = fleet.snapshot(NOW, budgets, grid);
        // A plan as the scheduler keeps one, so that deferrable decisions check the hour's room and each slot's, with
        // deferrable work arriving at half of what the fleet has for it, so that the clearing price falls among the slots.
        Map<String, double[]> usable = new HashMap<>();
        Map<String, double[]> free = new HashMap<>();
        double perHour = 0;
        for (PoolView p : view.pools()) {
            double[] u = new double[14];
            double[] f = new double[14];
            for (int h = 0; h < u.length; h++) {
                u[h] = p.budgetedEvalsPerSecond(Precision.INT8) * 3600 / 2;
                f[h] = u[h] * random.nextDouble();
            }
            usable.put(p.pool(), u);
            free.put(p.pool(), f);
            perHour += u[0] / 2;
        }
        plan = new DeferralPlan(NOW.truncatedTo(java.time.temporal.ChronoUnit.HOURS), usable, free, perHour);
        view = view.withPlan(plan);
        jobs = new JobView[1024];
        for (int i = 0; i < jobs.length; i++) {
            jobs[i] = switch (i % 4) {
                case 0 -> new JobView("i" + i, 4, 1, 1, java.util.Set.of(), java.util.Set.of(), Urgency.INTERACTIVE, NOW.plusSeconds(2));
                case 1 -> new JobView("r" + i, 8, 2, 2, java.util.Set.of(), java.util.Set.of("R" + random.nextInt(regions)), Urgency.INTERACTIVE,
                        NOW.plusSeconds(5));
                case 2 -> new JobView("p" + i, 16, 8, 4, java.util.Set.of(Precision.FP32), java.util.Set.of(), Urgency.BATCH, NOW.plus(Duration.ofHours(1)));
                default -> new JobView("d" + i, 32, 1, 1, java.util.Set.of(), java.util.Set.of(), Urgency.DEFERRABLE, NOW.plus(Duration.ofHours(12)));
            };
        }
        if (view.pools().size() != pools) {
            throw new IllegalStateException("expected " + pools + " live pools, got " + view.pools().size());
        }
    }

    @Benchmark
    public Optional<Route> decide() {
        JobView job = jobs[next++ & (jobs.length - 1)];
        return policy.route(job, view);
    }

    /**
     * What the scheduler adds to each ASSIGN or DEFER decision for the sustainability reports: carbon-blind routing's
     * route for the same job on the same view, priced by the same model.
     */
    @Benchmark
    public Optional<Option> carbonBlind() {
        JobView job = jobs[next++ & (jobs.length - 1)];
        return CarbonBlindBaseline.of(job, view, CarbonAwarePolicy.Settings.DEFAULT.unknownGramsPerKwh());
    }

    /**
     * The per-pass cost: the view of 1,000 pools from 10,000 workers, budgets applied, its carbon order and the plan's
     * clearing price, which a deferrable decision prices first.
     */
    @Benchmark
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 2)
    public Optional<Route> snapshot() {
        return policy.route(jobs[3], fleet.snapshot(NOW, budgets, grid).withPlan(plan));
    }
}

package io.un0.routing;

import io.un0.vocabulary.Precision;
import io.un0.vocabulary.Sci;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A snapshot of the live fleet at one instant: pools with at least one worker heard from recently, their power
 * budgets applied, and the grid signals in force. Read-only.
 */
public final class FleetView {

    private final Instant at;
    private final List<PoolView> pools;
    private final Map<String, GridSignal> grid;
    private final DeferralPlan plan;
    /** What every view derived from this one by queues, time or plan shares: those leave budgets and grid as they are. */
    private final Derived derived;
    /** {@link ClearingPrice} on this view's order and plan; computed on first use, kept while time, plan and budgets are. */
    private Clearing clearing;

    public FleetView(Instant at, List<PoolView> pools, Map<String, GridSignal> grid) {
        this(at, List.copyOf(pools), Map.copyOf(grid), DeferralPlan.NONE, new Derived(), null);
    }

    /** A fleet with no grid signal: every region counts as unknown. */
    public FleetView(Instant at, List<PoolView> pools) {
        this(at, pools, Map.of());
    }

    private FleetView(Instant at, List<PoolView> pools, Map<String, GridSignal> grid, DeferralPlan plan, Derived derived, Clearing clearing) {
        this.at = at;
        this.pools = pools;
        this.grid = grid;
        this.plan = plan;
        this.derived = derived;
        this.clearing = clearing;
    }

    public Instant at() {
        return at;
    }

    public List<PoolView> pools() {
        return pools;
    }

    /** By region. */
    public Map<String, GridSignal> grid() {
        return grid;
    }

    /** Room for deferred work in the hours ahead; {@link DeferralPlan#NONE} where the caller plans none. */
    public DeferralPlan plan() {
        return plan;
    }

    /** The same fleet with a plan for deferred work. */
    public FleetView withPlan(DeferralPlan next) {
        return new FleetView(at, pools, grid, next, derived, null);
    }

    /**
     * The same fleet with {@code images} ({@code evals} evaluations) more queued in {@code pool}: a job just sent there,
     * ahead of later interactive jobs only if it is interactive itself (it travels the lane workers take first).
     */
    public FleetView reserve(String pool, int images, double evals, Urgency urgency) {
        double urgent = urgency == Urgency.INTERACTIVE ? evals : 0;
        List<PoolView> next = new ArrayList<>(pools.size());
        for (PoolView p : pools) {
            next.add(p.pool().equals(pool) ? p.withQueued(p.queued() + images, p.queuedEvals() + evals, p.urgentEvals() + urgent) : p);
        }
        // Queues do not change what an evaluation emits where, nor what the plan counts on, so order and price carry over.
        return new FleetView(at, List.copyOf(next), grid, plan, derived, clearing);
    }

    /**
     * The same fleet with every pool's queue replaced, index by index with {@link #pools}: what a simulator does
     * between two decisions. The grid and budgets stay, so the carbon order carries over.
     */
    public FleetView withQueues(int[] images, double[] evals, double[] urgent) {
        if (images.length != pools.size() || evals.length != pools.size() || urgent.length != pools.size()) {
            throw new IllegalArgumentException("queues for " + images.length + "/" + evals.length + "/" + urgent.length + " pools, the view has "
                    + pools.size());
        }
        List<PoolView> next = new ArrayList<>(pools.size());
        for (int i = 0; i < pools.size(); i++) {
            next.add(pools.get(i).withQueued(images[i], evals[i], urgent[i]));
        }
        return new FleetView(at, List.copyOf(next), grid, plan, derived, clearing);
    }

    /** The same fleet seen at another instant, queues and all: for a caller that moves time on between decisions. */
    public FleetView at(Instant instant) {
        return new FleetView(instant, pools, grid, plan, derived, null);
    }

    /**
     * Running {@code images} at {@code steps} in a pool at a precision, priced as carbon-aware routing prices its options
     * (SCI per evaluation on the grid in force, at the speed the pool's budget allows); NaN where the pool does not run
     * that precision. No time estimate.
     */
    public Option price(String pool, Precision precision, int steps, int images, double unknownGramsPerKwh) {
        Entry e = carbonOrder(unknownGramsPerKwh).entry(pool, precision);
        return new Option(pool, precision, steps, e == null ? Double.NaN : e.gramsPerEval() * images * steps, Double.NaN, "");
    }

    /**
     * The gCO2e per evaluation at which the deferrable work the plan expects clears ({@link ClearingPrice}); computed
     * once per view, as the order is, so that a pass of decisions pays for it once.
     */
    double clearingGramsPerEval(double unknownGramsPerKwh) {
        CarbonOrder o = carbonOrder(unknownGramsPerKwh);
        Clearing c = clearing;
        if (c == null || c.order() != o) {
            c = new Clearing(o, ClearingPrice.of(this, o));
            clearing = c;
        }
        return c.gramsPerEval();
    }

    CarbonOrder carbonOrder(double unknownGramsPerKwh) {
        CarbonOrder o = derived.order;
        if (o == null || o.unknownGramsPerKwh() != unknownGramsPerKwh) {
            o = CarbonOrder.of(pools, grid, unknownGramsPerKwh);
            derived.order = o;
        }
        return o;
    }

    /** The clearing price's slots on {@code order} and this view's plan, sorted once for every view that shares both. */
    ClearingPrice.Slots clearingSlots(CarbonOrder order) {
        ClearingPrice.Slots s = derived.slots;
        if (s == null || !s.sortedFor(order, plan)) {
            s = ClearingPrice.Slots.of(this, order);
            derived.slots = s;
        }
        return s;
    }

    @Override
    public String toString() {
        return "FleetView[" + at + ", " + pools.stream().map(PoolView::pool).collect(Collectors.joining(",")) + ", grid "
                + grid.values().stream().map(g -> g.region() + "=" + g.intensity().gramsPerKwh()).collect(Collectors.joining(",")) + "]";
    }

    /**
     * Memos that hold for every view of the same budgets and grid, whatever its queues, instant or plan: a simulator
     * derives a view per decision from one base and would otherwise sort the fleet again for each.
     */
    private static final class Derived {
        private CarbonOrder order;
        private ClearingPrice.Slots slots;
    }

    /** A clearing price and the order it was computed on. */
    private record Clearing(CarbonOrder order, double gramsPerEval) {
    }

    /**
     * @param index           into {@link #pools}
     * @param gramsPerEval    SCI per evaluation at full speed, on the grid in force
     * @param joulesPerEval   the energy part, to price the same evaluation on a forecast grid
     * @param embodiedPerEval the embodied part (SCI's M), which does not depend on the grid
     * @param leastForecast   the lowest intensity the region's forecast holds (infinite where it has none or is
     *                        stale): no hour ahead can make this option cheaper than that
     */
    record Entry(int index, Precision precision, double gramsPerEval, double joulesPerEval, double embodiedPerEval, double leastForecast) {
    }

    /**
     * @param pools  the view's pools, which the entries index
     * @param byPool the same entries by pool name and precision, filled the first time an option is priced: the
     *               scheduler prices one beside each decision, the simulator never does
     */
    record CarbonOrder(double unknownGramsPerKwh, Entry[] entries, List<PoolView> pools, Map<String, Map<Precision, Entry>> byPool) {

        /** The pool's entry at that precision; null where it does not run it. */
        Entry entry(String pool, Precision precision) {
            if (byPool.isEmpty()) {
                for (Entry e : entries) {
                    byPool.computeIfAbsent(pools.get(e.index()).pool(), p -> new EnumMap<>(Precision.class)).put(e.precision(), e);
                }
            }
            Map<Precision, Entry> p = byPool.get(pool);
            return p == null ? null : p.get(precision);
        }

        static CarbonOrder of(List<PoolView> pools, Map<String, GridSignal> grid, double unknown) {
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < pools.size(); i++) {
                PoolView p = pools.get(i);
                GridSignal signal = grid.get(p.region());
                double intensity = signal == null ? unknown : signal.intensity().gramsPerKwh();
                double leastForecast = signal == null || signal.intensity().stale() ? Double.POSITIVE_INFINITY
                        : signal.forecast().stream().mapToDouble(GridSignal.Point::gramsPerKwh).min().orElse(Double.POSITIVE_INFINITY);
                for (Map.Entry<Precision, Rate> r : p.rates().entrySet()) {
                    // Priced at the speed its budget allows: a capped pool holds its idle draw and its hardware longer per evaluation.
                    Rate rate = r.getValue();
                    double speed = p.budgetedEvalsPerSecond(r.getKey());
                    double joules = speed <= 0 ? Double.POSITIVE_INFINITY
                            : (p.idleWatts() + (rate.fullWatts() - p.idleWatts()) * speed / rate.evalsPerSecond()) / speed;
                    double embodied = speed <= 0 ? Double.POSITIVE_INFINITY : p.embodiedGramsPerSecond() / speed;
                    entries.add(new Entry(i, r.getKey(), Sci.operationalGrams(joules, intensity) + embodied, joules, embodied, leastForecast));
                }
            }
            entries.sort(Comparator.comparingDouble(Entry::gramsPerEval).thenComparing(e -> pools.get(e.index()).pool())
                    .thenComparing(Entry::precision));
            return new CarbonOrder(unknown, entries.toArray(Entry[]::new), pools, new HashMap<>());
        }
    }
}

package io.un0.routing;

import io.un0.vocabulary.Sci;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ours: for each job the pool, precision and step count with the least expected gCO2e (SCI: energy × grid
 * intensity + embodied share) among those that meet its deadline, fit its pool's power budget and room, and
 * honour its quality floor (fewest steps allowed, allowed precisions) and data residency. A deferrable job whose
 * window holds a forecast hour cheaper by at least {@link Settings#minDeferralSaving()} is held until that hour
 * (the scheduler decides again then); the forecast used is the one issued by decision time. It runs now only within
 * the room the plan leaves in the hour in force, and it waits for a greener pool that is merely busy when that saves
 * the same minimum.
 *
 * <p>Fast by construction: the view sorts every (pool, precision) by gCO2e per evaluation once, so a decision walks
 * that order from the cheapest and stops at the first feasible option, plus a few more for the record. Whether an
 * option is feasible is decided by the named rules of {@link Feasibility}, whose reasons the decision records.
 */
public final class CarbonAwarePolicy implements RoutingPolicy {

    private final Settings settings;

    public CarbonAwarePolicy(Settings settings) {
        this.settings = settings;
    }

    /**
     * @param unknownGramsPerKwh intensity assumed for a region with no signal: high, so that unknown grids come last
     * @param minDeferralSaving  the least saving (a fraction of the now-best option's gCO2e) worth holding a job for,
     *                           for a greener hour or for a greener pool's queue
     * @param deferralMargin     how long before its deadline a held job must be released, to leave time to run it
     * @param interactiveQueueSeconds the time to done (queue ahead plus the job) an interactive job aims for: a greener
     *                           pool is passed over while its queue is longer, unless no pool meets it, so that
     *                           interactive work spreads before it waits, and users see seconds, not the deadline
     * @param batchQueueSeconds  the longest queue (in seconds of work, this job included) batch work may build in a
     *                           pool, so that interactive work is not kept waiting for room (batch work also leaves
     *                           free what the pool runs within {@code interactiveQueueSeconds}, at most half its room)
     * @param alternatives       feasible options recorded beside the chosen one
     * @param rejections         infeasible options recorded (the rest are counted)
     */
    public record Settings(double unknownGramsPerKwh, double minDeferralSaving, Duration deferralMargin, double interactiveQueueSeconds,
                           double batchQueueSeconds, int alternatives, int rejections) {

        public static final Settings DEFAULT = new Settings(1000, 0.05, Duration.ofHours(1), 5, 20, 2, 4);
    }

    @Override
    public Optional<Route> route(JobView job, FleetView fleet) {
        FleetView.CarbonOrder order = fleet.carbonOrder(settings.unknownGramsPerKwh());
        List<PoolView> pools = fleet.pools();
        Instant now = fleet.at();
        int steps = job.minSteps();
        double evals = (double) job.images() * steps;
        double secondsLeft = job.deadline().equals(Instant.MAX) ? Double.POSITIVE_INFINITY
                : Duration.between(now, job.deadline()).toNanos() / 1e9;
        double margin = settings.deferralMargin().toSeconds();
        Candidate candidate = new Candidate(job, settings, evals, secondsLeft, fleet.plan(), now);
        List<Option> weighed = new ArrayList<>(settings.alternatives() + settings.rejections());
        int rejected = 0;
        int alternatives = 0;
        FleetView.Entry best = null;
        Option bestOption = null;
        // The cheapest interactive option that meets the deadline only with a queue over the target: taken when none meets it.
        FleetView.Entry slow = null;
        Option slowOption = null;
        // What a deferrable job would emit in the cheapest pool it is kept out of only by that pool's queue: the price
        // a deferral must beat when nothing can take the job now, and what waiting for that queue would save.
        double queuedGrams = Double.POSITIVE_INFINITY;
        for (FleetView.Entry e : order.entries()) {
            PoolView p = pools.get(e.index());
            Feasibility failed = Feasibility.firstFailed(candidate.of(p, e.precision()));
            double grams = e.gramsPerEval() * evals;
            if (failed == Feasibility.BATCH_QUEUE) {
                queuedGrams = Math.min(queuedGrams, grams);
            } else if (failed == Feasibility.INTERACTIVE_QUEUE && slow == null) {
                slow = e;
                slowOption = new Option(p.pool(), e.precision(), steps, grams, candidate.secondsIfKnown(), "");
            }
            if (failed != null) {
                if (rejected++ < settings.rejections()) {
                    weighed.add(new Option(p.pool(), e.precision(), steps, grams, candidate.secondsIfKnown(), failed.reason()));
                }
                continue;
            }
            Option option = new Option(p.pool(), e.precision(), steps, grams, candidate.secondsIfKnown(), "");
            if (best == null) {
                best = e;
                bestOption = option;
            } else {
                weighed.add(option);
                if (++alternatives >= settings.alternatives()) {
                    break;
                }
            }
        }
        if (best == null && slow != null) {
            best = slow;
            bestOption = slowOption;
        }
        // A deferrable job runs now where that costs no more than the clearing price: the work expected over the plan's
        // hours needs this slot anyway, and holding the job for a greener one would push other work to a dearer slot.
        if (job.urgency() == Urgency.DEFERRABLE
                && !(bestOption != null && bestOption.expectedGrams() <= fleet.clearingGramsPerEval(settings.unknownGramsPerKwh()) * evals)) {
            Optional<Route> later = greenerSlot(job, fleet, order, bestOption, queuedGrams, weighed);
            if (later.isPresent()) {
                return later;
            }
            if (bestOption != null && queuedGrams < bestOption.expectedGrams() * (1 - settings.minDeferralSaving()) && secondsLeft > margin) {
                // A greener pool is merely busy (its hour has room) and no slot ahead beats it: wait out its queue, as
                // worth it as any deferral, rather than run dearer now. The caller asks again shortly.
                return Optional.empty();
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        PoolView chosen = pools.get(best.index());
        // Concatenation, not String.format: the reason is built on every decision and format alone costs about a microsecond.
        String reason = "least gCO2e among feasible options: " + chosen.region() + " at " + signalOf(fleet, chosen.region())
                + (steps < job.steps() ? ", quality floor of " + steps + " steps" : "") + "; " + rejected + " of "
                + order.entries().length + " options infeasible";
        return Optional.of(new Route(chosen.pool(), best.precision(), steps, reason, now, bestOption, weighed));
    }

    /**
     * The cheapest (pool, forecast hour) within the job's window that the plan has room for, if it beats running
     * now by the minimum saving. The job is planned to start after the work already planned there, so that held
     * jobs come back spread over the hour rather than all at its start; it is decided again then.
     */
    private Optional<Route> greenerSlot(JobView job, FleetView fleet, FleetView.CarbonOrder order, Option now, double queuedGrams,
                                        List<Option> weighed) {
        if (job.deadline().equals(Instant.MAX)) {
            return Optional.empty();
        }
        Instant latestStart = job.deadline().minus(settings.deferralMargin());
        int steps = now == null ? job.minSteps() : now.steps();
        double evals = (double) job.images() * steps;
        double bestGrams = (now == null ? queuedGrams : now.expectedGrams()) * (1 - settings.minDeferralSaving());
        FleetView.Entry target = null;
        Instant start = null;
        double forecast = Double.NaN;
        List<PoolView> pools = fleet.pools();
        DeferralPlan plan = fleet.plan();
        boolean[] seen = new boolean[pools.size()];
        for (FleetView.Entry e : order.entries()) {
            // The bound first: most options cannot beat the best so far in any hour, and the check is arithmetic alone.
            if ((Sci.operationalGrams(e.joulesPerEval(), e.leastForecast()) + e.embodiedPerEval()) * evals >= bestGrams || seen[e.index()]) {
                continue;
            }
            PoolView p = pools.get(e.index());
            if (!job.allowsRegion(p.region()) || !job.allowsPrecision(e.precision())) {
                continue;
            }
            double rate = p.budgetedEvalsPerSecond(e.precision());
            GridSignal signal = fleet.grid().get(p.region());
            // A job is not held on a forecast from a source that has stopped answering.
            if (rate <= 0 || signal == null || signal.intensity().stale()) {
                continue;
            }
            seen[e.index()] = true;
            for (GridSignal.Point point : signal.forecast()) {
                if (point.from().isAfter(latestStart)) {
                    break;
                }
                if (!point.from().isAfter(fleet.at())) {
                    continue;
                }
                double grams = (Sci.operationalGrams(e.joulesPerEval(), point.gramsPerKwh()) + e.embodiedPerEval()) * evals;
                int k = plan.hour(point.from());
                // Work queued now that the pool cannot finish before this hour starts runs into it.
                double spill = Math.max(0, p.queuedEvals() - rate * Duration.between(fleet.at(), point.from()).toSeconds());
                if (grams < bestGrams && plan.free(p.pool(), k) - spill >= evals) {
                    double after = Math.min((plan.planned(p.pool(), k) + spill) / rate, point.length().toSeconds() - 1);
                    Instant at = point.from().plusMillis((long) (after * 1000));
                    if (!at.isAfter(latestStart)) {
                        bestGrams = grams;
                        target = e;
                        forecast = point.gramsPerKwh();
                        start = at;
                    }
                }
            }
        }
        if (target == null) {
            return Optional.empty();
        }
        PoolView p = pools.get(target.index());
        Option expected = new Option(p.pool(), target.precision(), steps, bestGrams, Duration.between(fleet.at(), start).toSeconds(), "");
        List<Option> all = new ArrayList<>(weighed.size() + 1);
        if (now != null) {
            all.add(now);
        }
        all.addAll(weighed);
        String reason = "deferred to " + start + ": " + p.region() + " forecast " + Math.round(forecast) + " g/kWh"
                + (now == null ? ", nothing can take it now" : ", " + Math.round(100 * (1 - bestGrams / now.expectedGrams())) + " % less than now in " + now.pool());
        return Optional.of(new Route(p.pool(), target.precision(), steps, reason, start, expected, all));
    }

    private static String signalOf(FleetView fleet, String region) {
        GridSignal s = fleet.grid().get(region);
        return s == null ? "no signal" : Math.round(s.intensity().gramsPerKwh()) + " g/kWh (" + s.intensity().source() + (s.intensity().stale() ? ", STALE)" : ")");
    }
}

package io.un0.scheduler.report;

import io.un0.auth.Caller;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.CarbonBlindComparison;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.proto.v1.DeviceClass;
import io.un0.proto.v1.EmbodiedByDevice;
import io.un0.proto.v1.EnergyBySource;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.GridSignalBasis;
import io.un0.proto.v1.IntensityUse;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import io.un0.proto.v1.PoolShare;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.ReportStep;
import io.un0.proto.v1.SciBoundary;
import io.un0.proto.v1.SciEmbodied;
import io.un0.proto.v1.SciEnergy;
import io.un0.proto.v1.SciIntensity;
import io.un0.proto.v1.SustainabilityReport;
import io.un0.vocabulary.Sci;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A sustainability report made from the records, after the SCI specification (ISO/IEC 21031:2024) with one image as
 * the functional unit: fed the period's accounting records (each result without its images) and then the decisions
 * that routed those jobs, it sums E, I and M with where each came from, and weighs each job's route against what
 * carbon-blind routing would have done with it. Pure: no Kafka, no clock.
 */
public final class SciLedger {

    /** Inside the boundary, but not counted: said on every report so that nobody takes the figures for more than they are. */
    static final List<String> EXCLUDED = List.of(
            "the callers' own machines and the network between them and the mesh",
            "embodied emissions of the gateway's, scheduler's and broker's hardware: M counts the workers' hardware only",
            "energy of jobs answered with a failure beyond what their results carried (none for shed or cancelled jobs)");

    /** The region of the intensity use that stands for the mesh's own processes, each at its own region's figure. */
    public static final String MESH_PROCESSES = "(the mesh's processes)";

    private final ReportPeriod period;
    private final Map<DeviceClass, Double> embodiedGramsPerSecond;
    /** Succeeded jobs of the period by id, for their decisions; a redelivered job's second result is not counted again. */
    private final Map<String, Routing> jobs = new HashMap<>();
    private final Set<String> failedJobs = new HashSet<>();
    private final Totals totals = new Totals();
    private final Map<EnergySource, SourceTotals> engineBySource = new EnumMap<>(EnergySource.class);
    private final TreeSet<String> processes = new TreeSet<>();
    private final Map<List<String>, IntensityUse.Builder> uses = new TreeMap<>(SciLedger::compareKeys);
    private final Map<DeviceClass, double[]> embodied = new EnumMap<>(DeviceClass.class);
    private final Map<String, PoolTotals> pools = new TreeMap<>();
    private final Totals[] steps;
    private double engineJoules;
    private double sharedJoules;
    private long imagesWithoutShared;

    /** @param embodiedGramsPerSecond per device class, the hardware one worker holds, as declared to the scheduler */
    public SciLedger(ReportPeriod period, Map<DeviceClass, Double> embodiedGramsPerSecond) {
        this.period = period;
        this.embodiedGramsPerSecond = Map.copyOf(embodiedGramsPerSecond);
        this.steps = new Totals[period.steps()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = new Totals();
        }
    }

    /** One accounting record, written at {@code written}; records outside the period or of another tenant are passed over. */
    public void account(JobResult result, Instant written) {
        String tenant = result.getTenant().isEmpty() ? Caller.DEFAULT_TENANT : result.getTenant();
        if (!period.covers(tenant, written) || jobs.containsKey(result.getJobId()) || failedJobs.contains(result.getJobId())) {
            return;
        }
        boolean succeeded = result.getStatus() == JobStatus.JOB_STATUS_SUCCEEDED;
        if (succeeded) {
            jobs.put(result.getJobId(), new Routing());
        } else {
            failedJobs.add(result.getJobId());
        }
        int images = succeeded ? result.getSeedsCount() : 0;
        if (!result.hasAccounting()) {
            totals.add(images, 0, 0, 0);
            steps[step(written)].add(images, 0, 0, 0);
            return;
        }
        Accounting a = result.getAccounting();
        double engine = a.getEnergy().getJoules();
        double engineGrams = a.getCarbon().getGramsCo2E();
        double joules = a.hasBoundary() ? a.getBoundary().getEnergy().getJoules() : engine;
        double operational = a.hasBoundary() ? a.getBoundary().getGramsCo2E() : engineGrams;
        double seconds = ProtoTime.duration(a.getTimings().getInference()).toNanos() / 1e9;
        double embodiedGrams = embodiedGramsPerSecond.getOrDefault(a.getDeviceClass(), 0.0) * seconds;

        engineJoules += engine;
        sharedJoules += joules - engine;
        engineBySource.computeIfAbsent(a.getEnergy().getSource(), s -> new SourceTotals()).add(a.getEnergy().getModel(), engine);
        if (a.hasBoundary()) {
            processes.addAll(a.getBoundary().getProcessesList());
            use(List.of(MESH_PROCESSES, "each process of the boundary at its own region's signal"), GridSignalBasis.GRID_SIGNAL_BASIS_UNSPECIFIED, false,
                    joules - engine, operational - engineGrams);
        } else {
            imagesWithoutShared += images;
        }
        use(List.of(a.getCarbon().getRegion(), a.getCarbon().getSignalSource()), basis(a.getCarbon().getSignalSource()),
                a.getCarbon().getSignalStale(), engine, engineGrams);
        double[] device = embodied.computeIfAbsent(a.getDeviceClass(), d -> new double[2]);
        device[0] += seconds;
        device[1] += embodiedGrams;

        totals.add(images, joules, operational, embodiedGrams);
        pools.computeIfAbsent(a.getPool(), p -> new PoolTotals(a.getDeviceClass(), a.getCarbon().getRegion()))
                .totals.add(images, joules, operational, embodiedGrams);
        steps[step(written)].add(images, joules, operational, embodiedGrams);
    }

    /** A decision record: those of the period's succeeded jobs say how each was routed; others are passed over. */
    public void decision(Decision d) {
        Routing routing = jobs.get(d.getJobId());
        if (routing == null) {
            return;
        }
        Instant decided = ProtoTime.instant(d.getDecided());
        if (d.hasCarbonBlind() && (routing.blindAt == null || decided.isBefore(routing.blindAt))) {
            routing.blindAt = decided;
            routing.blindPool = d.getCarbonBlind().getPool();
            routing.blindSteps = d.getCarbonBlind().getSteps();
            routing.blindPrecision = d.getCarbonBlind().getPrecision();
            routing.blindGrams = d.getCarbonBlind().getExpectedGramsCo2E();
        }
        if (d.getKind() == DecisionKind.DECISION_KIND_DEFER) {
            routing.deferred = true;
        }
        if (d.getKind() == DecisionKind.DECISION_KIND_ASSIGN && (routing.assignedAt == null || decided.isAfter(routing.assignedAt))) {
            routing.assignedAt = decided;
            routing.pool = d.getChosen().getPool();
            routing.steps = d.getChosen().getSteps();
            routing.precision = d.getChosen().getPrecision();
            routing.grams = d.getChosen().getExpectedGramsCo2E();
        }
    }

    /** The report, with how far back the records reach where they do not reach the period's start. */
    public SustainabilityReport report(Instant generated, Optional<Instant> recordsFrom) {
        double kwh = Sci.kilowattHours(totals.joules);
        SustainabilityReport.Builder r = SustainabilityReport.newBuilder().setRequest(period.toProto()).setGenerated(ProtoTime.timestamp(generated))
                .setFunctionalUnit("image").setImages(totals.images).setJobsSucceeded(jobs.size()).setJobsFailed(failedJobs.size())
                .setBoundary(SciBoundary.newBuilder().addAllProcesses(processes).addAllExcluded(EXCLUDED))
                .setEnergy(energy())
                .setIntensity(SciIntensity.newBuilder().setMeanGPerKwh(kwh > 0 ? totals.operational / kwh : Double.NaN)
                        .addAllUses(uses.values().stream().map(IntensityUse.Builder::build).toList()))
                .setEmbodied(embodied())
                .setOperationalGramsCo2E(totals.operational).setTotalGramsCo2E(totals.grams())
                .setSciGramsCo2EPerImage(totals.images > 0 ? totals.grams() / totals.images : Double.NaN)
                .setJoulesPerImage(totals.images > 0 ? totals.joules / totals.images : Double.NaN)
                .setCarbonBlind(comparison())
                .setComplete(recordsFrom.isEmpty());
        recordsFrom.map(ProtoTime::timestamp).ifPresent(r::setRecordsFrom);
        pools.forEach((name, p) -> r.addPools(PoolShare.newBuilder().setPool(name).setDeviceClass(p.deviceClass).setRegion(p.region)
                .setImages(p.totals.images).setJoules(p.totals.joules).setGramsCo2E(p.totals.grams())));
        for (int i = 0; i < steps.length; i++) {
            Totals s = steps[i];
            double stepKwh = Sci.kilowattHours(s.joules);
            r.addSteps(ReportStep.newBuilder().setStart(ProtoTime.timestamp(period.from().plus(period.step().multipliedBy(i))))
                    .setImages(s.images).setJoules(s.joules).setGramsCo2E(s.grams()).setMeanGPerKwh(stepKwh > 0 ? s.operational / stepKwh : Double.NaN));
        }
        return r.build();
    }

    private SciEnergy energy() {
        SciEnergy.Builder e = SciEnergy.newBuilder().setJoules(totals.joules).setEngineJoules(engineJoules).setSharedJoules(sharedJoules)
                .setImagesWithoutShared(imagesWithoutShared);
        engineBySource.forEach((source, t) -> e.addEngineBySource(EnergyBySource.newBuilder().setSource(source).addAllModels(t.models).setJoules(t.joules)));
        return e.build();
    }

    private SciEmbodied embodied() {
        SciEmbodied.Builder m = SciEmbodied.newBuilder().setGramsCo2E(totals.embodied);
        embodied.forEach((device, t) -> m.addDevices(EmbodiedByDevice.newBuilder().setDeviceClass(device)
                .setGramsCo2EPerSecond(embodiedGramsPerSecond.getOrDefault(device, 0.0)).setSeconds(t[0]).setGramsCo2E(t[1])));
        return m.build();
    }

    /** Jobs with both prices (a decision carbon-aware routing priced, and a carbon-blind route on its first view). */
    private CarbonBlindComparison comparison() {
        CarbonBlindComparison.Builder c = CarbonBlindComparison.newBuilder();
        double chosen = 0;
        double blind = 0;
        double savedByDeferral = 0;
        long compared = 0;
        for (Routing j : jobs.values()) {
            if (j.assignedAt == null || j.blindAt == null || !Double.isFinite(j.grams) || !Double.isFinite(j.blindGrams)) {
                continue;
            }
            compared++;
            chosen += j.grams;
            blind += j.blindGrams;
            if (j.deferred) {
                c.setJobsDeferred(c.getJobsDeferred() + 1);
                savedByDeferral += j.blindGrams - j.grams;
            }
            if (!j.pool.equals(j.blindPool)) {
                c.setJobsMoved(c.getJobsMoved() + 1);
            }
            if (j.steps < j.blindSteps) {
                c.setJobsFewerSteps(c.getJobsFewerSteps() + 1);
            }
            if (j.precision != j.blindPrecision) {
                c.setJobsOtherPrecision(c.getJobsOtherPrecision() + 1);
            }
        }
        return c.setJobs(compared).setChosenGramsCo2E(chosen).setCarbonBlindGramsCo2E(blind).setSavedGramsCo2E(blind - chosen)
                .setSavedByDeferralGramsCo2E(savedByDeferral).setJobsNotCompared(jobs.size() - compared).build();
    }

    private void use(List<String> key, GridSignalBasis basis, boolean stale, double joules, double grams) {
        IntensityUse.Builder u = uses.computeIfAbsent(key, k -> IntensityUse.newBuilder().setRegion(k.get(0)).setSource(k.get(1)).setBasis(basis));
        u.setJoules(u.getJoules() + joules).setGramsCo2E(u.getGramsCo2E() + grams);
        if (stale) {
            u.setStaleJoules(u.getStaleJoules() + joules);
        }
    }

    /**
     * Marginal where the source says so (WattTime's MOER, and any source named marginal), else average: every carbon
     * source of the mesh names a marginal figure in its source, as {@code WattTimeApi} and {@code WattTimeCsv} do.
     */
    static GridSignalBasis basis(String source) {
        String s = source.toLowerCase(Locale.ROOT);
        return s.contains("marginal") || s.contains("moer") ? GridSignalBasis.GRID_SIGNAL_BASIS_MARGINAL : GridSignalBasis.GRID_SIGNAL_BASIS_AVERAGE;
    }

    private int step(Instant written) {
        return (int) Math.min(steps.length - 1, Duration.between(period.from(), written).toNanos() / period.step().toNanos());
    }

    private static int compareKeys(List<String> a, List<String> b) {
        int c = a.get(0).compareTo(b.get(0));
        return c != 0 ? c : a.get(1).compareTo(b.get(1));
    }

    /** How one succeeded job was routed, and how carbon-blind routing would have routed it. */
    private static final class Routing {
        Instant assignedAt;
        String pool;
        int steps;
        Precision precision;
        double grams;
        Instant blindAt;
        String blindPool;
        int blindSteps;
        Precision blindPrecision;
        double blindGrams;
        boolean deferred;
    }

    private static final class Totals {
        long images;
        double joules;
        double operational;
        double embodied;

        void add(int images, double joules, double operational, double embodied) {
            this.images += images;
            this.joules += joules;
            this.operational += operational;
            this.embodied += embodied;
        }

        double grams() {
            return operational + embodied;
        }
    }

    private static final class SourceTotals {
        final TreeSet<String> models = new TreeSet<>();
        double joules;

        void add(String model, double joules) {
            if (!model.isEmpty()) {
                models.add(model);
            }
            this.joules += joules;
        }
    }

    private static final class PoolTotals {
        final DeviceClass deviceClass;
        final String region;
        final Totals totals = new Totals();

        PoolTotals(DeviceClass deviceClass, String region) {
            this.deviceClass = deviceClass;
            this.region = region;
        }
    }
}

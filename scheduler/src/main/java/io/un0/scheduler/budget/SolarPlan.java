package io.un0.scheduler.budget;

import io.un0.carbon.SolarTrace;
import io.un0.proto.ProtoTime;
import io.un0.proto.Violation;
import io.un0.proto.v1.BudgetScope;
import io.un0.proto.v1.PowerBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Solar budgets as configured, free of Quarkus and Kafka: which site follows which trace, and which instant of the
 * trace a real instant replays (the scheduler's start is mapped to the replay start, time runs {@code speed} times
 * as fast, and a replay longer than the trace begins it again).
 */
public record SolarPlan(List<SolarSite> sites, Instant startedAt, Instant replayStart, double speed) {

    /** Replayed time between two budgets: the trace's own step. */
    public static final Duration STEP = Duration.ofMinutes(5);
    static final String DEFAULT_TRACE = "solar/solcast2022_global_actual.csv";
    private static final String PREFIX = "un0.scheduler.solar.";

    public SolarPlan {
        sites = List.copyOf(sites);
    }

    /**
     * Empty when no site is configured.
     *
     * @param sharedData where {@code ../shared/data} is, if anywhere: the trace's default folder
     * @throws IllegalArgumentException naming the key to fix, or the trace's file and line
     * @throws IllegalStateException    when sites are configured but there is no trace to read
     */
    public static Optional<SolarPlan> load(SolarConfig config, Optional<Path> sharedData, Instant startedAt) throws IOException {
        if (config.sites().isEmpty()) {
            return Optional.empty();
        }
        double speed = config.speed();
        if (!(speed > 0 && speed <= 3600)) {
            throw new IllegalArgumentException(PREFIX + "speed is " + speed + "; it must be above 0 and at most 3600");
        }
        Path trace = trace(config, sharedData);
        List<SolarSite> sites = new ArrayList<>();
        for (Map.Entry<String, SolarConfig.Site> e : new TreeMap<>(config.sites()).entrySet()) {
            sites.add(site(e.getKey(), e.getValue(), trace, config.replayStart()));
        }
        return Optional.of(new SolarPlan(sites, startedAt, config.replayStart(), speed));
    }

    private static Path trace(SolarConfig config, Optional<Path> sharedData) {
        Path trace = config.trace().orElseGet(() -> sharedData.map(d -> d.resolve(DEFAULT_TRACE)).orElseThrow(() ->
                new IllegalStateException(PREFIX + "sites configures solar budgets for " + new TreeMap<>(config.sites()).keySet()
                        + ", but there is no trace to replay: ../shared/data is not beside " + Path.of("").toAbsolutePath()
                        + " (nor up to two folders above it) and " + PREFIX + "trace is not set")));
        if (!Files.isReadable(trace)) {
            throw new IllegalStateException("the solar trace " + trace.toAbsolutePath() + " is missing or unreadable (set "
                    + PREFIX + "trace, or put ../shared/data beside the checkout)");
        }
        return trace;
    }

    private static SolarSite site(String name, SolarConfig.Site s, Path trace, Instant replayStart) throws IOException {
        String key = PREFIX + "sites." + name + ".";
        List<Violation> wrong = BudgetRules.key(BudgetScope.BUDGET_SCOPE_SITE, name);
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException(PREFIX + "sites." + name + ": the site " + wrong.get(0).description());
        }
        if (!(s.panelWatts() > 0) || Double.isInfinite(s.panelWatts())) {
            throw new IllegalArgumentException(key + "panel-watts is " + s.panelWatts() + "; it must be finite and above 0");
        }
        if (!(s.batteryWatts() >= 0) || Double.isInfinite(s.batteryWatts())) {
            throw new IllegalArgumentException(key + "battery-watts is " + s.batteryWatts() + "; it must be finite and at least 0");
        }
        if (s.panelWatts() + s.batteryWatts() > BudgetRules.MAX_WATTS) {
            throw new IllegalArgumentException(key + "panel-watts + battery-watts is above the 10 MW sanity cap of a budget");
        }
        SolarTrace t;
        try {
            t = SolarTrace.read(trace, s.location());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "location: " + e.getMessage(), e);
        }
        if (replayStart.isBefore(t.start()) || !replayStart.isBefore(t.end())) {
            throw new IllegalArgumentException(PREFIX + "replay-start " + replayStart + " is outside the trace of " + s.location()
                    + ", which covers " + t.start() + " to " + t.end());
        }
        return new SolarSite(name, t, s.panelWatts(), s.batteryWatts());
    }

    /** The trace's instant replayed at {@code now}, before any wrap-around. */
    public Instant replayed(Instant now) {
        return replayStart.plusMillis(Math.round(Duration.between(startedAt, now).toMillis() * speed));
    }

    /** Real time between two budgets: one {@link #STEP} of replayed time. */
    public Duration period() {
        return Duration.ofMillis(Math.max(1, Math.round(STEP.toMillis() / speed)));
    }

    /** Every solar site's cap at {@code now}: its floor plus its panels times the trace's fraction. */
    public List<PowerBudget> budgetsAt(Instant now) {
        Instant replayed = replayed(now);
        List<PowerBudget> budgets = new ArrayList<>();
        for (SolarSite s : sites) {
            Instant at = s.trace().wrap(replayed);
            double fraction = s.trace().fraction(at);
            budgets.add(PowerBudget.newBuilder().setScope(BudgetScope.BUDGET_SCOPE_SITE).setName(s.site())
                    .setWatts(s.watts(fraction)).setSetBy("solar:" + s.trace().location()).setUpdated(ProtoTime.timestamp(now))
                    .setReason(String.format("sun at %s (%s replayed): %.3f of %.0f W panels, plus a %.0f W floor",
                            s.trace().location(), at, fraction, s.panelWatts(), s.batteryWatts()))
                    .build());
        }
        return budgets;
    }
}

package io.un0.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.un0.carbon.TraceFolders;
import io.un0.routing.CarbonAwarePolicy;
import io.un0.routing.LeastLoadedPolicy;
import io.un0.sim.baseline.CarbonGreedy;
import io.un0.sim.baseline.RoundRobin;
import io.un0.sim.engine.ForecastErrors;
import io.un0.sim.engine.Forecaster;
import io.un0.sim.engine.RunResult;
import io.un0.sim.engine.Simulation;
import io.un0.sim.scenario.Scenario;
import io.un0.sim.scenario.Traces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs every policy, and the offline optimum, over one scenario or a set of them on recorded traces; prints and writes
 * the comparison, per scenario and, for a set, the worst figure of each kind over the set.
 */
@Command(name = "un0-sim", mixinStandardHelpOptions = true,
        description = "Compare routing policies on fleet scenarios replaying recorded grid and solar traces.")
public final class FleetSimulator implements Callable<Integer> {

    @Option(names = "--scenario", description = "A scenario file, or a folder of them (*.json); repeatable (default: ${DEFAULT-VALUE}).")
    List<Path> scenarioPaths = List.of(Path.of("fleet-sim/scenarios/reporting"));

    @Option(names = "--traces", description = "Trace folder (default: ../shared/data, where it exists).")
    Path traces;

    @Option(names = "--json", description = "Write the figures here as JSON (e.g. docs/bench/scheduler.json).")
    Path json;

    @Option(names = "--markdown", description = "Write the comparison here as Markdown (e.g. docs/bench/scheduler.md).")
    Path markdown;

    @Option(names = "--forecast-errors", description = "Run no policy: print how well each persistence forecast (days in its"
            + " diurnal profile × hours its shift fades over) does on the scenarios' traces, the procedure that chose the"
            + " simulator's on the tuning set.")
    boolean forecastErrors;

    @Option(names = "--no-optimum", description = "Skip the offline optimum.")
    boolean noOptimum;

    @Option(names = "--policies", split = ",", description = "Policies to run (default: all of ${DEFAULT-VALUE}).")
    List<String> policies = List.of("round-robin", "least-loaded", "carbon-greedy", "ours");

    @Option(names = "--forecast", description = "PERSISTENCE (what a scheduler can know) or ORACLE (the recorded future: what forecast "
            + "errors cost, not a policy's result) (default: ${DEFAULT-VALUE}).")
    Forecaster.Kind forecast = Forecaster.Kind.PERSISTENCE;

    @Option(names = "--parallel", description = "Scenarios run at once (default: the CPUs this JVM sees).")
    int parallel = Runtime.getRuntime().availableProcessors();

    @Option(names = "--min-deferral-saving", description = "Ours: the scheduler's un0.scheduler.carbon-aware.min-deferral-saving "
            + "(default: ${DEFAULT-VALUE}).")
    double minDeferralSaving = CarbonAwarePolicy.Settings.DEFAULT.minDeferralSaving();

    @Option(names = "--interactive-queue-seconds", description = "Ours: the scheduler's "
            + "un0.scheduler.carbon-aware.interactive-queue-seconds (default: ${DEFAULT-VALUE}).")
    double interactiveQueueSeconds = CarbonAwarePolicy.Settings.DEFAULT.interactiveQueueSeconds();

    @Option(names = "--batch-queue-seconds", description = "Ours: the scheduler's un0.scheduler.carbon-aware.batch-queue-seconds "
            + "(default: ${DEFAULT-VALUE}).")
    double batchQueueSeconds = CarbonAwarePolicy.Settings.DEFAULT.batchQueueSeconds();

    public static void main(String[] args) {
        System.exit(new CommandLine(new FleetSimulator()).execute(args));
    }

    /** One scenario's figures: every policy's run, the optimum where it was solved. */
    record Outcome(Path file, Scenario scenario, Traces traces, Map<String, RunResult> results, OptimumRun.Outcome optimum) {

        RunResult ours() {
            return results.get("ours");
        }

        /** 1 − ours / least-loaded, in gCO2e per image; NaN where either did not run. */
        double reduction() {
            RunResult leastLoaded = results.get("least-loaded");
            return ours() == null || leastLoaded == null ? Double.NaN : 1 - ours().gramsPerImage() / leastLoaded.gramsPerImage();
        }

        /** ours / optimum − 1; NaN where either is missing. */
        double gap() {
            return ours() == null || optimum == null ? Double.NaN : ours().gramsPerImage() / optimum.gramsPerImage() - 1;
        }
    }

    @Override
    public Integer call() throws Exception {
        Path found = traces != null ? traces : TraceFolders.sharedData().orElse(null);
        if (found == null) {
            System.err.println("un0-sim: no trace folder: pass --traces, or run beside ../shared/data");
            return 2;
        }
        // Relative to where it runs, so that the figures written to the docs name no one's home folder.
        Path folder = Path.of("").toAbsolutePath().relativize(found.toAbsolutePath().normalize());
        List<Outcome> loaded = new ArrayList<>();
        try {
            for (Path file : scenarioFiles()) {
                Scenario scenario = Scenario.read(file);
                loaded.add(new Outcome(file, scenario, Traces.load(scenario, folder), Map.of(), null));
            }
        } catch (IOException e) {
            System.err.println("un0-sim: " + e.getMessage());
            return 2;
        }
        if (forecastErrors) {
            printForecastErrors(loaded);
            return 0;
        }
        List<Outcome> outcomes = runAll(loaded);
        if (json != null) {
            writeJson(outcomes);
        }
        if (markdown != null) {
            writeMarkdown(outcomes);
        }
        return 0;
    }

    /** Days in the profile and hours of fade tried; the scenarios' own look-back caps the days actually averaged. */
    private static final int[] PROFILE_DAYS = {1, 2, 3, 7, 14};
    private static final double[] FADE_HOURS = {6, 12, 24};

    /**
     * Every candidate's errors per scenario and their mean over the scenarios; the least mean regret (the hour a held
     * job is sent to matters more than the error elsewhere) is marked.
     */
    private static void printForecastErrors(List<Outcome> loaded) {
        System.out.printf("persistence forecasts, next %d hours from every hour of every region; relative error / regret%n",
                ForecastErrors.HOURS_AHEAD);
        System.out.printf("%-6s %-6s %s  mean%n", "days", "fade", String.join("  ", loaded.stream().map(o -> o.scenario().name()).toList()));
        Forecaster.Persistence best = null;
        double bestRegret = Double.POSITIVE_INFINITY;
        for (int days : PROFILE_DAYS) {
            for (double fade : FADE_HOURS) {
                Forecaster.Persistence candidate = new Forecaster.Persistence(days, fade);
                StringBuilder row = new StringBuilder(String.format("%-6d %-6.0f", days, fade));
                double error = 0;
                double regret = 0;
                for (Outcome o : loaded) {
                    ForecastErrors e = ForecastErrors.measure(o.scenario(), o.traces(), candidate);
                    row.append(String.format(" %.4f / %.4f", e.meanRelativeError(), e.regret()));
                    error += e.meanRelativeError() / loaded.size();
                    regret += e.regret() / loaded.size();
                }
                row.append(String.format("  %.4f / %.4f", error, regret));
                if (regret < bestRegret) {
                    bestRegret = regret;
                    best = candidate;
                }
                System.out.println(row + (candidate.equals(Forecaster.Persistence.CHOSEN) ? "  (the simulator's)" : ""));
            }
        }
        System.out.printf("least mean regret: %d days, fading over %.0f h%n", best.days(), best.fadeHours());
    }

    /** The files named, folders expanded to their {@code *.json} in name order. */
    private List<Path> scenarioFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : scenarioPaths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> in = Files.list(p)) {
                    List<Path> found = in.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
                    if (found.isEmpty()) {
                        throw new IOException(p + ": a folder with no scenario (*.json) in it");
                    }
                    files.addAll(found);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new IOException(p + ": no such scenario file or folder");
            }
        }
        return files;
    }

    private List<Outcome> runAll(List<Outcome> loaded) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, loaded.size())));
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Outcome o : loaded) {
                futures.add(pool.submit(() -> run(o)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private Outcome run(Outcome loaded) {
        Scenario scenario = loaded.scenario();
        Traces recorded = loaded.traces();
        Forecaster forecaster = new Forecaster(recorded, forecast);
        // Fresh policies per scenario: round-robin keeps state, and scenarios may run at once.
        List<Simulation.Contender> contenders = List.of(
                new Simulation.Contender("round-robin", new RoundRobin(), false),
                new Simulation.Contender("least-loaded", new LeastLoadedPolicy(), false),
                new Simulation.Contender("carbon-greedy", new CarbonGreedy(), false),
                new Simulation.Contender("ours", new CarbonAwarePolicy(settings()), true));
        StringBuilder report = new StringBuilder(String.format("scenario %s (%s): %s to %s, %d pools, fleet %.0f images/s; %s%n", scenario.name(),
                loaded.file(), scenario.start(), scenario.end(), scenario.pools().size(), scenario.capacityImagesPerSecond(), recorded.describe()));
        Map<String, RunResult> results = new LinkedHashMap<>();
        for (Simulation.Contender c : contenders) {
            if (!policies.contains(c.name())) {
                continue;
            }
            long t0 = System.nanoTime();
            RunResult r = new Simulation(scenario, recorded, forecaster).run(c);
            results.put(c.name(), r);
            report.append(String.format("  %-14s %s (%.1f s)%n", c.name(), summary(r), (System.nanoTime() - t0) / 1e9));
        }
        OptimumRun.Outcome optimum = null;
        if (!noOptimum) {
            optimum = OptimumRun.solve(scenario, recorded, new Simulation(scenario, recorded, forecaster));
            report.append(String.format("  %-14s %.4g gCO2e/image, %.0f images placed, %.0f unplaceable (%.1f s)%n", "offline-optimum",
                    optimum.gramsPerImage(), optimum.servedImages(), optimum.unservedImages(), optimum.seconds()));
        }
        Outcome o = new Outcome(loaded.file(), scenario, recorded, results, optimum);
        if (!Double.isNaN(o.reduction())) {
            report.append(String.format("  ours vs least-loaded: %.1f %% less gCO2e per image%s%n", 100 * o.reduction(),
                    Double.isNaN(o.gap()) ? "" : String.format("; %.1f %% above the offline optimum", 100 * o.gap())));
        }
        System.out.print(report);
        return o;
    }

    /** Ours as the scheduler's defaults configure it, but for the settings given on the command line. */
    private CarbonAwarePolicy.Settings settings() {
        CarbonAwarePolicy.Settings d = CarbonAwarePolicy.Settings.DEFAULT;
        return new CarbonAwarePolicy.Settings(d.unknownGramsPerKwh(), minDeferralSaving, d.deferralMargin(), interactiveQueueSeconds,
                batchQueueSeconds, d.alternatives(), d.rejections());
    }

    private static String summary(RunResult r) {
        return String.format("%.4g gCO2e/image, %.4g J/image, deadlines met %.3f %%, %d budget violations, interactive p99 %.2f s, "
                        + "shed %s, late %s (interactive, batch, deferrable), %d deferrals, %.2f µs/decision",
                r.gramsPerImage(), r.joulesPerImage(), 100 * r.deadlinesMet(), r.budgetViolations(), r.interactiveP99Seconds(),
                Arrays.toString(r.shedByUrgency()), Arrays.toString(r.lateByUrgency()), r.deferrals(), r.decisionMeanMicros());
    }

    /**
     * The headline keys hold, each, the worst figure over the scenarios run (the bar every one of them clears), and
     * {@code scenarios} each scenario's own; the decision benchmark's keys in the file are kept.
     */
    private void writeJson(List<Outcome> outcomes) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = Files.exists(json) ? (ObjectNode) mapper.readTree(json.toFile()) : mapper.createObjectNode();
        List<String> replaced = List.of("gco2_reduction_vs_least_loaded", "deadlines_met", "budget_violations", "gap_to_offline_optimum",
                "offline_optimum_gco2_per_image", "scenario", "scenario_name", "span", "traces", "energy", "policies", "scenarios", "worst_of",
                "worst_gap_scenario", "forecast", "policy_settings");
        root.remove(replaced);
        List<Outcome> withOurs = outcomes.stream().filter(o -> o.ours() != null).toList();
        if (!withOurs.isEmpty()) {
            root.put("gco2_reduction_vs_least_loaded", withOurs.stream().mapToDouble(Outcome::reduction).min().orElseThrow());
            root.put("deadlines_met", withOurs.stream().mapToDouble(o -> o.ours().deadlinesMet()).min().orElseThrow());
            root.put("budget_violations", withOurs.stream().mapToLong(o -> o.ours().budgetViolations()).max().orElseThrow());
            withOurs.stream().filter(o -> !Double.isNaN(o.gap())).max(Comparator.comparingDouble(Outcome::gap))
                    .ifPresent(worst -> {
                        root.put("gap_to_offline_optimum", worst.gap());
                        root.put("worst_gap_scenario", worst.scenario().name());
                    });
        }
        root.put("worst_of", outcomes.size() + " scenarios: each headline key is the worst figure of its kind over them");
        root.put("forecast", forecast == Forecaster.Kind.ORACLE ? "ORACLE: the recorded future, a diagnostic bound, not a policy's result"
                : String.format("persistence from the recorded past only: the last %d days' mean at each hour, shifted by the departure"
                        + " from it now, fading over %.0f h", Forecaster.Persistence.CHOSEN.days(), Forecaster.Persistence.CHOSEN.fadeHours()));
        root.put("policy_settings", settings().toString());
        root.put("energy", "MODELLED: the simulator reads no meter; every joule comes from each scenario's declared pool figures "
                + "(their sources are in each scenario's notes)");
        ArrayNode scenarios = root.putArray("scenarios");
        for (Outcome o : outcomes) {
            ObjectNode s = scenarios.addObject();
            s.put("scenario", o.file().toString());
            s.put("scenario_name", o.scenario().name());
            s.put("span", o.scenario().start() + "/" + o.scenario().end());
            s.put("traces", o.traces().describe());
            if (o.ours() != null) {
                putIfKnown(s, "gco2_reduction_vs_least_loaded", o.reduction());
                putIfKnown(s, "gap_to_offline_optimum", o.gap());
                s.put("deadlines_met", o.ours().deadlinesMet());
                s.put("budget_violations", o.ours().budgetViolations());
            }
            if (o.optimum() != null) {
                s.put("offline_optimum_gco2_per_image", o.optimum().gramsPerImage());
            }
            ObjectNode policies = s.putObject("policies");
            o.results().forEach((name, r) -> policies.set(name, mapper.valueToTree(r)));
        }
        Files.createDirectories(json.toAbsolutePath().getParent());
        mapper.writeValue(json.toFile(), root);
        System.out.println("wrote " + json);
    }

    private static void putIfKnown(ObjectNode node, String key, double value) {
        if (!Double.isNaN(value)) {
            node.put(key, value);
        }
    }

    private void writeMarkdown(List<Outcome> outcomes) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Fleet simulator");
        lines.add("");
        lines.add("Energy is MODELLED from each scenario's declared pool figures (sources in each scenario's `notes`); grid and solar are "
                + "recorded traces, named per scenario below.");
        lines.add("");
        lines.add("| scenario | span | pools | ours vs least-loaded | above the offline optimum | deadlines met | budget violations |");
        lines.add("|---|---|---|---|---|---|---|");
        for (Outcome o : outcomes) {
            RunResult ours = o.ours();
            lines.add(String.format("| %s | %s to %s | %d | %s | %s | %s | %s |", o.scenario().name(), o.scenario().start(), o.scenario().end(),
                    o.scenario().pools().size(), Double.isNaN(o.reduction()) ? "" : String.format("%.1f %% less", 100 * o.reduction()),
                    Double.isNaN(o.gap()) ? "" : String.format("%.1f %%", 100 * o.gap()),
                    ours == null ? "" : String.format("%.3f %%", 100 * ours.deadlinesMet()), ours == null ? "" : ours.budgetViolations()));
        }
        for (Outcome o : outcomes) {
            lines.add("");
            lines.add("## " + o.scenario().name());
            lines.add("");
            lines.add("Scenario `" + o.file() + "`, " + o.scenario().start() + " to " + o.scenario().end() + ", " + o.scenario().pools().size()
                    + " pools. Traces: " + o.traces().describe() + ".");
            lines.add("");
            lines.add("| policy | gCO2e/image | J/image | deadlines met | budget violations | interactive p50 / p99 s | shed jobs | deferrals |");
            lines.add("|---|---|---|---|---|---|---|---|");
            o.results().forEach((name, r) -> lines.add(String.format("| %s | %.4g | %.4g | %.3f %% | %d | %.2f / %.2f | %d | %d |", name,
                    r.gramsPerImage(), r.joulesPerImage(), 100 * r.deadlinesMet(), r.budgetViolations(), r.interactiveP50Seconds(),
                    r.interactiveP99Seconds(), r.shed(), r.deferrals())));
            if (o.optimum() != null) {
                lines.add(String.format("| offline optimum (fluid, perfect foresight) | %.4g | | | 0 | | | |", o.optimum().gramsPerImage()));
            }
        }
        Files.createDirectories(markdown.toAbsolutePath().getParent());
        Files.write(markdown, lines);
        System.out.println("wrote " + markdown);
    }
}

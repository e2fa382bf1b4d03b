package io.un0.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.un0.carbon.TraceFolders;
import io.un0.routing.CarbonAwarePolicy;
import io.un0.routing.LeastLoadedPolicy;
import io.un0.sim.baseline.CarbonGreedy;
import io.un0.sim.baseline.RoundRobin;
import io.un0.sim.engine.Forecaster;
import io.un0.sim.engine.RunResult;
import io.un0.sim.engine.Simulation;
import io.un0.sim.scenario.Scenario;
import io.un0.sim.scenario.Traces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Runs every policy, and the offline optimum, over a scenario on recorded traces; prints and writes the comparison. */
@Command(name = "un0-sim", mixinStandardHelpOptions = true,
        description = "Compare routing policies on a fleet scenario replaying recorded grid and solar traces.")
public final class FleetSimulator implements Callable<Integer> {

    @Option(names = "--scenario", description = "Scenario file (default: ${DEFAULT-VALUE}).")
    Path scenarioFile = Path.of("fleet-sim/scenarios/reference-2022.json");

    @Option(names = "--traces", description = "Trace folder (default: ../shared/data, where it exists).")
    Path traces;

    @Option(names = "--json", description = "Write the figures here as JSON (e.g. docs/bench/scheduler.json).")
    Path json;

    @Option(names = "--markdown", description = "Write the comparison here as a Markdown table (e.g. docs/bench/scheduler.md).")
    Path markdown;

    @Option(names = "--no-optimum", description = "Skip the offline optimum.")
    boolean noOptimum;

    @Option(names = "--policies", split = ",", description = "Policies to run (default: all of ${DEFAULT-VALUE}).")
    List<String> policies = List.of("round-robin", "least-loaded", "carbon-greedy", "ours");

    public static void main(String[] args) {
        System.exit(new CommandLine(new FleetSimulator()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path found = traces != null ? traces : TraceFolders.sharedData().orElseThrow(() -> new IllegalArgumentException(
                "no trace folder: pass --traces, or run beside ../shared/data"));
        // Relative to where it runs, so that the figures written to the docs name no one's home folder.
        Path folder = Path.of("").toAbsolutePath().relativize(found.toAbsolutePath().normalize());
        Scenario scenario = Scenario.read(scenarioFile);
        Traces recorded = Traces.load(scenario, folder);
        System.out.printf("scenario %s: %s to %s, %d pools, fleet %.0f images/s; %s%n", scenario.name(), scenario.start(), scenario.end(),
                scenario.pools().size(), scenario.capacityImagesPerSecond(), recorded.describe());
        Forecaster forecaster = new Forecaster(recorded);
        List<Simulation.Contender> contenders = List.of(
                new Simulation.Contender("round-robin", new RoundRobin(), false),
                new Simulation.Contender("least-loaded", new LeastLoadedPolicy(), false),
                new Simulation.Contender("carbon-greedy", new CarbonGreedy(), false),
                new Simulation.Contender("ours", new CarbonAwarePolicy(CarbonAwarePolicy.Settings.DEFAULT), true));
        Map<String, RunResult> results = new LinkedHashMap<>();
        for (Simulation.Contender c : contenders) {
            if (!policies.contains(c.name())) {
                continue;
            }
            long t0 = System.nanoTime();
            RunResult r = new Simulation(scenario, recorded, forecaster).run(c);
            results.put(c.name(), r);
            System.out.printf("%-14s %s (%.1f s)%n", c.name(), summary(r), (System.nanoTime() - t0) / 1e9);
        }
        OptimumRun.Outcome optimum = null;
        if (!noOptimum) {
            optimum = OptimumRun.solve(scenario, recorded, new Simulation(scenario, recorded, forecaster));
            System.out.printf("%-14s %.4g gCO2e/image, %.0f images placed, %.0f unplaceable (%.1f s)%n", "offline-optimum",
                    optimum.gramsPerImage(), optimum.servedImages(), optimum.unservedImages(), optimum.seconds());
        }
        RunResult ours = results.get("ours");
        RunResult leastLoaded = results.get("least-loaded");
        if (ours == null || leastLoaded == null) {
            return 0;
        }
        double reduction = 1 - ours.gramsPerImage() / leastLoaded.gramsPerImage();
        System.out.printf("ours vs least-loaded: %.1f %% less gCO2e per image%s%n", 100 * reduction,
                optimum == null ? "" : String.format("; %.1f %% above the offline optimum", 100 * (ours.gramsPerImage() / optimum.gramsPerImage() - 1)));
        if (json != null) {
            writeJson(scenario, recorded, results, optimum, reduction);
        }
        if (markdown != null) {
            writeMarkdown(scenario, recorded, results, optimum, reduction);
        }
        return 0;
    }

    private static String summary(RunResult r) {
        return String.format("%.4g gCO2e/image, %.4g J/image, deadlines met %.3f %%, %d budget violations, interactive p99 %.2f s, "
                        + "shed %s, late %s (interactive, batch, deferrable), %d deferrals, %.2f µs/decision",
                r.gramsPerImage(), r.joulesPerImage(), 100 * r.deadlinesMet(), r.budgetViolations(), r.interactiveP99Seconds(),
                java.util.Arrays.toString(r.shedByUrgency()), java.util.Arrays.toString(r.lateByUrgency()), r.deferrals(), r.decisionMeanMicros());
    }

    private void writeJson(Scenario scenario, Traces recorded, Map<String, RunResult> results, OptimumRun.Outcome optimum, double reduction)
            throws java.io.IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = Files.exists(json) ? (ObjectNode) mapper.readTree(json.toFile()) : mapper.createObjectNode();
        RunResult ours = results.get("ours");
        root.put("gco2_reduction_vs_least_loaded", reduction);
        root.put("deadlines_met", ours.deadlinesMet());
        root.put("budget_violations", ours.budgetViolations());
        if (optimum != null) {
            root.put("gap_to_offline_optimum", ours.gramsPerImage() / optimum.gramsPerImage() - 1);
            root.put("offline_optimum_gco2_per_image", optimum.gramsPerImage());
        }
        root.put("scenario", scenarioFile.toString());
        root.put("scenario_name", scenario.name());
        root.put("span", scenario.start() + "/" + scenario.end());
        root.put("traces", recorded.describe());
        root.put("energy", "MODELLED: the simulator reads no meter; every joule comes from the scenario's declared pool figures, whose sources are: "
                + scenario.notes());
        ObjectNode policies = root.putObject("policies");
        results.forEach((name, r) -> policies.set(name, mapper.valueToTree(r)));
        Files.createDirectories(json.toAbsolutePath().getParent());
        mapper.writeValue(json.toFile(), root);
        System.out.println("wrote " + json);
    }

    private void writeMarkdown(Scenario scenario, Traces recorded, Map<String, RunResult> results, OptimumRun.Outcome optimum, double reduction)
            throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Fleet simulator: " + scenario.name());
        lines.add("");
        lines.add("Scenario `" + scenarioFile + "`, " + scenario.start() + " to " + scenario.end() + ", " + scenario.pools().size()
                + " pools. Traces: " + recorded.describe() + ". Energy is MODELLED from the scenario's declared pool figures.");
        lines.add("");
        lines.add("| policy | gCO2e/image | J/image | deadlines met | budget violations | interactive p50 / p99 s | shed jobs | deferrals |");
        lines.add("|---|---|---|---|---|---|---|---|");
        results.forEach((name, r) -> lines.add(String.format("| %s | %.4g | %.4g | %.3f %% | %d | %.2f / %.2f | %d | %d |", name,
                r.gramsPerImage(), r.joulesPerImage(), 100 * r.deadlinesMet(), r.budgetViolations(), r.interactiveP50Seconds(),
                r.interactiveP99Seconds(), r.shed(), r.deferrals())));
        if (optimum != null) {
            lines.add(String.format("| offline optimum (fluid, perfect foresight) | %.4g | | | 0 | | | |", optimum.gramsPerImage()));
        }
        lines.add("");
        lines.add(String.format("Ours emits %.1f %% less gCO2e per image than least-loaded%s.", 100 * reduction, optimum == null ? ""
                : String.format(" and %.1f %% more than the offline optimum", 100 * (results.get("ours").gramsPerImage() / optimum.gramsPerImage() - 1))));
        Files.createDirectories(markdown.toAbsolutePath().getParent());
        Files.write(markdown, lines);
        System.out.println("wrote " + markdown);
    }
}

package io.un0.sim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link DecisionBenchmark} and writes its median and 99th percentile into a benchmark JSON file (keeping the
 * file's other keys), as {@code decision_median_us} and {@code decision_p99_us}.
 */
public final class DecisionBench {

    private DecisionBench() {
    }

    public static void main(String[] args) throws Exception {
        Path json = Path.of(args.length > 0 ? args[0] : "docs/bench/scheduler.json");
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(DecisionBenchmark.class.getName()).build()).run();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = Files.exists(json) ? (ObjectNode) mapper.readTree(json.toFile()) : mapper.createObjectNode();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            var stats = r.getPrimaryResult().getStatistics();
            double median = stats.getPercentile(50);
            double p99 = stats.getPercentile(99);
            System.out.printf("%s: median %.3f µs, p99 %.3f µs over %d samples%n", name, median, p99, stats.getN());
            if (name.equals("decide")) {
                root.put("decision_median_us", median);
                root.put("decision_p99_us", p99);
                root.put("decision_benchmark", "JMH SampleTime, " + DecisionBenchmark.class.getSimpleName()
                        + ": 1,000 pools from 10,000 workers in 40 regions, mixed jobs; " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
            } else if (name.equals("carbonBlind")) {
                // Paid by the scheduler beside each decision, not by the policy: the carbon-blind route for the reports.
                root.put("carbon_blind_median_us", median);
            } else {
                root.put("view_build_median_us", median);
            }
        }
        Files.createDirectories(json.toAbsolutePath().getParent());
        mapper.writeValue(json.toFile(), root);
        System.out.println("wrote " + json);
    }
}

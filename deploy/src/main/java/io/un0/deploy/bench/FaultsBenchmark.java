package io.un0.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.un0.deploy.MeshSettings;
import io.un0.deploy.mesh.LocalMesh;
import io.un0.deploy.mesh.MeshOptions;
import io.un0.deploy.mesh.NodeNetworks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The mesh under bad input, crashes and sustained load, on this machine: (a) bad inputs of every kind and the status
 * each got, (b) services killed under a running batch and whether a job was lost or done twice, (c) the first
 * gateway's heap before, during and after the load. Writes docs/bench/faults.json and prints each figure as it comes.
 */
@Command(name = "faults", mixinStandardHelpOptions = true, description = "Start the mesh with two gateways and two schedulers; try bad inputs, kill services "
        + "under a running batch (with --brokers 3 or more, Kafka nodes too: a partition leader and the active controller killed, a leader paused); follow the first gateway's heap under load; write faults.json.")
public final class FaultsBenchmark implements Callable<Integer> {

    /** Two gateways, so that one can be killed while the other watches; two schedulers, so that one can be killed while the other routes. */
    @Mixin
    MeshSettings settings = MeshSettings.twoGatewaysTwoSchedulers();

    @Option(names = "--load-minutes", description = "Length of the sustained load while the gateway's heap is sampled, minutes (default: ${DEFAULT-VALUE}).")
    int loadMinutes = 10;

    @Option(names = "--tries", description = "Times each bad input is tried, alternating between the gateways, at least 3 (default: ${DEFAULT-VALUE}).")
    int tries = 4;

    @Option(names = "--fault-items", description = "Items of " + InjectedFaults.IMAGES_PER_ITEM + " images in each batch a fault meets, "
            + "at least 60 (default: ${DEFAULT-VALUE}).")
    int faultItems = 120;

    @Option(names = "--docs", description = "Where faults.json goes (default: ${DEFAULT-VALUE}).")
    Path docs = Path.of("docs/bench");

    /** What faults.json holds, keys in snake_case; each section says when it ran and on what. */
    public record Figures(String writtenBy, BadInputs.Report badInputs, InjectedFaults.Report faults, GatewayHeap.Report gatewayHeap) {
    }

    @Override
    public Integer call() throws Exception {
        MeshOptions options = settings.options();
        require(options.gateways() >= 2, "--gateways must be at least 2: one of them is killed while the other watches");
        require(options.edgeWorkers() >= 2, "--edge-workers must be at least 2: one of them is killed while another keeps running");
        require(tries >= 3, "--tries must be at least 3");
        require(faultItems >= 60, "--fault-items must be at least 60");
        require(loadMinutes >= 1, "--load-minutes must be at least 1");
        List<String> notRun = new ArrayList<>();
        if (options.brokers() >= 3 && !options.nodeNetworks()) {
            Optional<String> why = NodeNetworks.unavailable();
            if (why.isEmpty()) {
                options = options.withNodeNetworks();
            } else {
                notRun.add("a Kafka node cut off the network: " + why.get());
                System.out.printf("no network partition fault: %s%n", why.get());
            }
        }
        System.out.printf("starting the mesh: %d Kafka node(s), %d gateways (gRPC from %d), %d scheduler(s), %d edge workers; logs in %s%n", options.brokers(),
                options.gateways(), options.gatewayPort(), options.schedulers(), options.edgeWorkers(), options.dataDir().resolve("logs"));
        Figures figures;
        try (LocalMesh mesh = LocalMesh.start(options);
             GatewayChannels first = GatewayChannels.open(mesh, "gateway");
             GatewayChannels second = GatewayChannels.open(mesh, "gateway-2")) {
            System.out.printf("bad inputs, each tried %d times:%n", tries);
            BadInputs.Report badInputs = new BadInputs(mesh, List.of(first, second), tries).run();
            System.out.printf("faults, each under a batch of %d items × %d images:%n", faultItems, InjectedFaults.IMAGES_PER_ITEM);
            InjectedFaults.Report faults = new InjectedFaults(mesh, first, second, faultItems, notRun).run();
            System.out.printf("%s's heap under %d minute(s) of load:%n", first.label(), loadMinutes);
            GatewayHeap.Report heap = new GatewayHeap(mesh, first).run(loadMinutes);
            figures = new Figures(String.format("bin/un0-mesh faults --brokers %d --schedulers %d --load-minutes %d --tries %d --fault-items %d%s",
                    options.brokers(), options.schedulers(), loadMinutes, tries, faultItems, options.nodeNetworks() ? " (each Kafka node in a network namespace of its own)" : ""),
                    badInputs, faults, heap);
        }
        Files.createDirectories(docs);
        Path file = docs.resolve("faults.json");
        new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), figures);
        System.out.printf("bad inputs all as expected: %s%n", figures.badInputs().allAsExpected());
        figures.badInputs().grpc().stream().filter(k -> !k.asExpected())
                .forEach(k -> System.out.printf("  not as expected: %s: expected %s, got %s %s%n", k.kind(), k.expected(), k.outcomes(), k.descriptions()));
        figures.faults().faults().forEach(f -> System.out.printf("fault: %s: jobs lost %d, doubled %d%n", f.fault(), f.jobsLost(), f.jobsDoubled()));
        System.out.printf("gateway heap after/before the load: %.3f%nwrote %s%n", figures.gatewayHeap().afterToBefore(), file);
        return 0;
    }

    private static void require(boolean holds, String otherwise) {
        if (!holds) {
            throw new IllegalArgumentException(otherwise);
        }
    }
}

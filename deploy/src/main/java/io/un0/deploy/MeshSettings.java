package io.un0.deploy;

import io.un0.deploy.mesh.MeshOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** The layout options every launcher command shares; defaults give the ports in the README. */
public final class MeshSettings {

    @Option(names = "--home", description = "The project's root, holding the apps' builds (default: the launcher's, else the current folder).")
    Path home = Path.of(System.getProperty("un0.home", "")).toAbsolutePath();

    @Option(names = "--data", description = "Broker data, service logs and the mesh's credentials (default: ${DEFAULT-VALUE}).")
    Path data = Path.of("work/mesh");

    @Option(names = "--kafka-port", description = "Kafka clients connect here (default: ${DEFAULT-VALUE}).")
    int kafkaPort = 9092;

    @Option(names = "--controller-port", description = "The KRaft controller's port (default: ${DEFAULT-VALUE}).")
    int controllerPort = 9093;

    @Option(names = "--brokers", description = "Kafka nodes, each a process; 3 or more replicate every topic three times, "
            + "two in sync (default: ${DEFAULT-VALUE}).")
    int brokers = 1;

    @Option(names = "--node-networks", description = "Each Kafka node in a network namespace of its own, reached through a bridge "
            + "(root and iproute2 only), so that one can be cut off the network; faults turns it on itself where it can with 3 nodes or more.")
    boolean nodeNetworks;

    @Option(names = "--gateway-port", description = "The gateway's gRPC port (default: ${DEFAULT-VALUE}).")
    int gatewayPort = 8080;

    @Option(names = "--gateway-http-port", description = "The gateway's HTTP port: /q/health, /q/metrics (default: ${DEFAULT-VALUE}).")
    int gatewayHttpPort = 8070;

    @Option(names = "--gateways", description = "Gateway instances, on the gateway ports and the ports after them (default: ${DEFAULT-VALUE}).")
    int gateways = 1;

    @Option(names = "--schedulers", description = "Scheduler instances, sharing the jobs topics' partitions; the second takes the two ports after "
            + "the first's gRPC port, and so on (default: ${DEFAULT-VALUE}).")
    int schedulers = 1;

    @Option(names = "--scheduler-port", description = "The scheduler's HTTP port: /q/health, /q/metrics (default: ${DEFAULT-VALUE}).")
    int schedulerPort = 8081;

    @Option(names = "--scheduler-grpc-port", description = "The scheduler's gRPC port: its Fleet service (default: ${DEFAULT-VALUE}).")
    int schedulerGrpcPort = 8090;

    @Option(names = "--worker-port", description = "The first worker's HTTP port; the others follow (default: ${DEFAULT-VALUE}).")
    int workerPort = 8082;

    @Option(names = "--edge-workers", description = "Edge (CPU) workers, one core each (default: ${DEFAULT-VALUE}).")
    int edgeWorkers = 2;

    @Option(names = "--gpu", description = "Start a GPU worker: auto (when nvidia-smi sees a GPU), on, off (default: ${DEFAULT-VALUE}).")
    String gpu = "auto";

    @Option(names = "--grid-intensity", description = "Declared grid carbon intensity of this machine's site, gCO2e/kWh "
            + "(default: ${DEFAULT-VALUE}, the world average of 2023 per Ember's Global Electricity Review 2024).")
    double gridIntensity = 480;

    @Option(names = "--jvm-flags", split = " ", description = "Flags for every service's and broker's JVM, space-separated; \"\" for the "
            + "JVM's defaults (default: ${DEFAULT-VALUE}: the JIT's first tier only, see docs/bench/mesh.md).")
    List<String> jvmFlags = new ArrayList<>(MeshOptions.JVM_FLAGS);

    @Option(names = "--otlp-endpoint", description = "Send traces and metrics here (OTLP/HTTP, e.g. http://localhost:4318); none: off.")
    String otlpEndpoint;

    /**
     * The layout with two gateways and two schedulers: the second gateway takes the ports after the first's (gRPC
     * 8081, HTTP 8071), so the scheduler's HTTP port moves from 8081 to 8089, beside its gRPC port; the second
     * scheduler takes 8091 and 8092.
     */
    public static MeshSettings twoGatewaysTwoSchedulers() {
        MeshSettings s = new MeshSettings();
        s.gateways = 2;
        s.schedulers = 2;
        s.schedulerPort = 8089;
        return s;
    }

    public MeshOptions options() throws IOException, InterruptedException {
        String source = gridIntensity == 480 ? "static: world average 2023 (Ember), declared by the launcher"
                : "static: declared with --grid-intensity";
        return new MeshOptions(home, data, kafkaPort, controllerPort, brokers, nodeNetworks, gatewayPort, gatewayHttpPort, gateways, schedulers, schedulerPort, schedulerGrpcPort,
                workerPort, edgeWorkers, gpuWanted(), gridIntensity, source, Optional.ofNullable(otlpEndpoint), Map.of(),
                jvmFlags.stream().filter(f -> !f.isBlank()).toList());
    }

    private boolean gpuWanted() throws IOException, InterruptedException {
        return switch (gpu) {
            case "on" -> true;
            case "off" -> false;
            case "auto" -> nvidiaGpuPresent();
            default -> throw new IllegalArgumentException("--gpu: '" + gpu + "' is not one of auto, on, off");
        };
    }

    private static boolean nvidiaGpuPresent() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException noDriver) {
            return false;
        }
    }
}

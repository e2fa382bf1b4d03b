package io.un0.deploy.mesh;

import io.un0.proto.MeshTopic;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the local mesh is laid out on this machine.
 *
 * @param home              the project's root, where the apps' packaged builds are
 * @param dataDir           broker data, service logs and the mesh's credentials ({@link LocalCredentials})
 * @param kafkaPort         the first broker's port; further brokers take every other port after it (0: free ones)
 * @param controllerPort    the first KRaft controller's port, likewise
 * @param brokers           Kafka nodes, each broker and controller, each a process; three or more keep every record
 *                          three times, two in sync
 * @param nodeNetworks      each Kafka node in a network namespace of its own ({@link NodeNetworks}: root only), so that
 *                          one can be cut off the network
 * @param gatewayPort       the first gateway's gRPC port; further gateways take the ports after it
 * @param gatewayHttpPort   the first gateway's HTTP port (health, metrics), likewise; gRPC has its own server there
 * @param gateways          gateway instances; each answers its own callers
 * @param schedulers        scheduler instances; they share the jobs topic's partitions through their consumer group
 * @param schedulerPort     the first scheduler's HTTP port (health, metrics)
 * @param schedulerGrpcPort the first scheduler's gRPC port (its Fleet service), on a server of its own; further
 *                          schedulers take pairs of ports after it, HTTP then gRPC ({@link #schedulerPorts})
 * @param edgeWorkers       edge workers in the one pool {@code edge-cpu}; each uses one core
 * @param gpuWorker         whether to start a GPU worker (it refuses to start without a usable GPU)
 * @param gridIntensity     the declared grid carbon intensity of the local site, gCO2e/kWh, and where it comes from
 * @param otlpEndpoint      where the services send traces and metrics (OTLP over HTTP); none: telemetry off
 * @param extraProperties   more configuration for every service (as system properties)
 * @param jvmFlags          flags for every service's and broker's JVM (the launcher's default: {@link #JVM_FLAGS})
 */
public record MeshOptions(Path home, Path dataDir, int kafkaPort, int controllerPort, int brokers, boolean nodeNetworks, int gatewayPort, int gatewayHttpPort, int gateways, int schedulers,
                          int schedulerPort, int schedulerGrpcPort, int firstWorkerPort, int edgeWorkers, boolean gpuWorker, double gridIntensity,
                          String gridIntensitySource, Optional<String> otlpEndpoint, Map<String, String> extraProperties,
                          List<String> jvmFlags) {

    /**
     * The JIT's first tier only (C1, no profiling): on a few cores shared by five JVMs, C2 still spent 0.3 ms of CPU
     * per image compiling 40 s into a batch, more than the code it compiles saves there (docs/bench/mesh.md).
     */
    public static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1");

    public MeshOptions {
        extraProperties = Map.copyOf(extraProperties);
        jvmFlags = List.copyOf(jvmFlags);
        if (brokers < 1) {
            throw new IllegalArgumentException("a mesh needs at least one Kafka broker, got " + brokers);
        }
        if (gateways < 1) {
            throw new IllegalArgumentException("a mesh needs at least one gateway, got " + gateways);
        }
        if (schedulers < 1 || schedulers > MeshTopic.JOBS.partitions()) {
            throw new IllegalArgumentException("schedulers must be 1 to " + MeshTopic.JOBS.partitions() + " (the jobs topic's partitions: one more "
                    + "would idle), got " + schedulers);
        }
        if (edgeWorkers < 0) {
            throw new IllegalArgumentException("edge workers must be 0 or more, got " + edgeWorkers);
        }
        if (edgeWorkers == 0 && !gpuWorker) {
            throw new IllegalArgumentException("a mesh needs at least one worker");
        }
    }

    /** The same layout, each Kafka node in a network namespace of its own. */
    public MeshOptions withNodeNetworks() {
        return new MeshOptions(home, dataDir, kafkaPort, controllerPort, brokers, true, gatewayPort, gatewayHttpPort, gateways, schedulers,
                schedulerPort, schedulerGrpcPort, firstWorkerPort, edgeWorkers, gpuWorker, gridIntensity, gridIntensitySource, otlpEndpoint, extraProperties, jvmFlags);
    }

    /**
     * Scheduler {@code k}'s ports, from 1: the first's as given, the second's the two after the first's gRPC port
     * (8091 and 8092 by default), and so on.
     */
    public ServiceProcess.Ports schedulerPorts(int k) {
        if (k == 1) {
            return new ServiceProcess.Ports(schedulerPort, schedulerGrpcPort);
        }
        int http = schedulerGrpcPort + 2 * k - 3;
        return new ServiceProcess.Ports(http, http + 1);
    }

    /** Scheduler {@code k}'s name, from 1: its process, its log, its Kafka client ids. */
    public static String schedulerName(int k) {
        return k == 1 ? "scheduler" : "scheduler-" + k;
    }

    Path app(String module) {
        return home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}

package io.un0.deploy.mesh;

import java.nio.file.Path;
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
 * @param gatewayPort       the first gateway's gRPC port; further gateways take the ports after it
 * @param gatewayHttpPort   the first gateway's HTTP port (health, metrics), likewise; gRPC has its own server there
 * @param gateways          gateway instances; each answers its own callers
 * @param schedulerPort     the scheduler's HTTP port (health, metrics)
 * @param schedulerGrpcPort the scheduler's gRPC port (its Fleet service), on a server of its own
 * @param edgeWorkers       edge workers in the one pool {@code edge-cpu}; each uses one core
 * @param gpuWorker         whether to start a GPU worker (it refuses to start without a usable GPU)
 * @param gridIntensity     the declared grid carbon intensity of the local site, gCO2e/kWh, and where it comes from
 * @param otlpEndpoint      where the services send traces and metrics (OTLP over HTTP); none: telemetry off
 * @param extraProperties   more configuration for every service (as system properties)
 */
public record MeshOptions(Path home, Path dataDir, int kafkaPort, int controllerPort, int brokers, int gatewayPort, int gatewayHttpPort, int gateways, int schedulerPort,
                          int schedulerGrpcPort, int firstWorkerPort, int edgeWorkers, boolean gpuWorker, double gridIntensity,
                          String gridIntensitySource, Optional<String> otlpEndpoint, Map<String, String> extraProperties) {

    public MeshOptions {
        extraProperties = Map.copyOf(extraProperties);
        if (brokers < 1) {
            throw new IllegalArgumentException("a mesh needs at least one Kafka broker, got " + brokers);
        }
        if (gateways < 1) {
            throw new IllegalArgumentException("a mesh needs at least one gateway, got " + gateways);
        }
        if (edgeWorkers < 0) {
            throw new IllegalArgumentException("edge workers must be 0 or more, got " + edgeWorkers);
        }
        if (edgeWorkers == 0 && !gpuWorker) {
            throw new IllegalArgumentException("a mesh needs at least one worker");
        }
    }

    Path app(String module) {
        return home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}

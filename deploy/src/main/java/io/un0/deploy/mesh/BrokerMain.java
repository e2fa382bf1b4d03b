package io.un0.deploy.mesh;

import io.un0.broker.KafkaNodes;
import io.un0.broker.LocalKafka;
import io.un0.energy.ProcessEnergyReporter;
import io.un0.energy.ProcessMeters;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.KafkaLogin;
import io.un0.proto.mesh.v1.ProcessRole;
import io.un0.vocabulary.CpuEnergyModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The local mesh's broker as a process of its own, started by {@link LocalMesh}: the broker's CPU is then its own
 * (metered, and said on {@code un0.process-energy.v1} like every other service's), and a client of the mesh in the
 * launcher does not share a JVM, its heap and its pauses with the broker. One process per node of the cluster.
 * Arguments: data folder, node id (from 1), the cluster's nodes ({@link KafkaNodes#describe}), grid region, watts per
 * busy core; the admin's SCRAM login comes from the environment
 * ({@value #ADMIN_USERNAME}, {@value #ADMIN_PASSWORD}), never the command line. Stops cleanly on SIGTERM.
 */
public final class BrokerMain {

    static final String ADMIN_USERNAME = "UN0_BROKER_ADMIN_USERNAME";
    static final String ADMIN_PASSWORD = "UN0_BROKER_ADMIN_PASSWORD";
    /** The first words of the line that says the broker serves; the launcher waits for it. */
    static final String READY = "un0-broker ready on ";

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: BrokerMain <data folder> <node id> <clusterId/broker:controller,...> <region> <watts per busy core>");
            System.exit(2);
        }
        KafkaLogin admin = new KafkaLogin(System.getenv(ADMIN_USERNAME), System.getenv(ADMIN_PASSWORD));
        int node = Integer.parseInt(args[1]);
        KafkaNodes nodes = KafkaNodes.parse(args[2]);
        LocalKafka kafka = LocalKafka.startSecured(Path.of(args[0]), nodes, node, admin);
        ProcessEnergyReporter energy = ProcessEnergyReporter.start(KafkaAccess.as(kafka.bootstrapServers(), admin), ProcessRole.PROCESS_ROLE_BROKER,
                "broker-" + nodes.node(node).broker(), args[3], ProcessMeters.auto(CpuEnergyModel.declared(Double.parseDouble(args[4]))), () -> ProcessEnergyReporter.Served.NOTHING, Duration.ofSeconds(2));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            energy.close();
            kafka.close();
            stopped.countDown();
        }, "un0-broker-stop"));
        System.out.println(READY + kafka.bootstrapServers() + "; " + energy.describe());
        stopped.await();
    }
}

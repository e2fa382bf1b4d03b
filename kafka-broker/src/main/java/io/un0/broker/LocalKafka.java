package io.un0.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) running inside this JVM, with its
 * data in a local folder. The folder is formatted once, on first start; later starts reuse it, records included.
 */
public final class LocalKafka implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final KafkaRaftServer server;
    private final int brokerPort;

    private LocalKafka(KafkaRaftServer server, int brokerPort) {
        this.server = server;
        this.brokerPort = brokerPort;
    }

    /**
     * @param brokerPort     clients connect here; 0 picks a free port
     * @param controllerPort the KRaft controller's port; 0 picks a free port
     * @throws IllegalStateException naming the port when one is taken
     */
    public static LocalKafka start(Path dataDir, int brokerPort, int controllerPort) throws IOException {
        int broker = claim(brokerPort, "broker");
        int controller = claim(controllerPort, "controller");
        Files.createDirectories(dataDir);
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + HOST + ":" + controller);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + broker + ",CONTROLLER://" + HOST + ":" + controller);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + broker);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.toAbsolutePath().toString());
        // One node: every internal topic must make do with one replica, or consumers wait for ever.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        KafkaConfig config = KafkaConfig.fromProps(p);
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            format(dataDir);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new LocalKafka(server, broker);
    }

    /** Formats only a fresh folder: a second format with a new cluster id would break the next start. */
    private static void format(Path dataDir) throws IOException {
        String dir = dataDir.toAbsolutePath().toString();
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir))
                    .setMetadataLogDirectory(dir)
                    .setControllerListenerName("CONTROLLER")
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IOException("cannot format Kafka storage in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int claim(int port, String role) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("the Kafka " + role + " port " + port + " on " + HOST
                    + " is taken (" + e.getMessage() + "); choose another one", e);
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}

package io.un0.broker;

import io.un0.kafka.KafkaAccess;
import io.un0.kafka.KafkaLogin;
import io.un0.kafka.MeshClients;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka node (KRaft, broker and controller in one process) running inside this JVM, with its data in a local
 * folder: alone, or one of a cluster of {@link KafkaNodes} (each in a process of its own, as the launcher runs them,
 * or several in one JVM, as tests do). The folder is formatted once, on first start; later starts reuse it, records
 * included.
 */
public final class LocalKafka implements AutoCloseable {

    /** Written beside the data when it was formatted with an admin user, so that a secured start can tell. */
    private static final String SECURED_MARK = "un0-scram-admin";

    private final KafkaRaftServer server;
    private final KafkaNodes nodes;

    private LocalKafka(KafkaRaftServer server, KafkaNodes nodes) {
        this.server = server;
        this.nodes = nodes;
    }

    /**
     * @param brokerPort     clients connect here; 0 picks a free port
     * @param controllerPort the KRaft controller's port; 0 picks a free port
     * @throws IllegalStateException naming the port when one is taken
     */
    public static LocalKafka start(Path dataDir, int brokerPort, int controllerPort) throws IOException {
        return start(dataDir, KafkaNodes.claim(1, List.of(brokerPort), List.of(controllerPort)), 1, Optional.empty());
    }

    /** Node {@code nodeId} of a cluster of plain-text brokers (tests). */
    public static LocalKafka startNode(Path dataDir, KafkaNodes nodes, int nodeId) throws IOException {
        return start(dataDir, nodes, nodeId, Optional.empty());
    }

    /**
     * A broker whose clients must authenticate with SASL/SCRAM-SHA-512 and may do only what ACLs grant them
     * ({@code StandardAuthorizer}); {@code admin} may do everything, and creates the other principals
     * ({@link #addUsers}). The controller's own listener stays plain text on 127.0.0.1: only this broker uses it.
     *
     * @throws IllegalStateException when {@code dataDir} was formatted for a broker without authentication
     */
    public static LocalKafka startSecured(Path dataDir, KafkaNodes nodes, int nodeId, KafkaLogin admin) throws IOException {
        if (Files.exists(dataDir.resolve("meta.properties")) && !Files.exists(dataDir.resolve(SECURED_MARK))) {
            throw new IllegalStateException(dataDir + " holds a Kafka broker made without authentication, which has no admin"
                    + " user; delete the folder to start afresh with one");
        }
        return start(dataDir, nodes, nodeId, Optional.of(admin));
    }

    private static LocalKafka start(Path dataDir, KafkaNodes nodes, int nodeId, Optional<KafkaLogin> admin) throws IOException {
        String host = nodes.node(nodeId).host();
        int broker = nodes.node(nodeId).broker();
        int controller = nodes.node(nodeId).controller();
        Files.createDirectories(dataDir);
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", nodes.voters());
        p.put("listeners", "BROKER://" + host + ":" + broker + ",CONTROLLER://" + host + ":" + controller);
        p.put("advertised.listeners", "BROKER://" + host + ":" + broker);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "BROKER");
        p.put("listener.security.protocol.map", (admin.isPresent() ? "BROKER:SASL_PLAINTEXT" : "BROKER:PLAINTEXT") + ",CONTROLLER:PLAINTEXT");
        admin.ifPresent(login -> {
            p.put("sasl.enabled.mechanisms", KafkaLogin.MECHANISM);
            p.put("sasl.mechanism.inter.broker.protocol", KafkaLogin.MECHANISM);
            p.put("listener.name.broker." + KafkaLogin.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config", login.jaasConfig());
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            // ANONYMOUS: the broker's own requests to its controller, on the plain controller listener.
            p.put("super.users", "User:" + login.username() + ";User:ANONYMOUS");
        });
        p.put("log.dirs", dataDir.toAbsolutePath().toString());
        // Internal topics as replicated as the cluster allows: with one node, one replica, or consumers wait for ever.
        String replicas = Integer.toString(nodes.replication().replicas());
        String inSync = Integer.toString(nodes.replication().minInSync());
        p.put("offsets.topic.replication.factor", replicas);
        p.put("offsets.topic.num.partitions", "3");
        // The scheduler's passes and the gateway's batch expansions are transactions: a few coordinators are plenty here,
        // where the default 50 partitions would be made (and replicated) at the first one.
        p.put("transaction.state.log.num.partitions", "3");
        // A producer that died mid-transaction holds its partitions' readers back until the broker aborts it: look for
        // such transactions every second rather than every ten, so that the wait is about the producer's timeout.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", inSync);
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", inSync);
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", inSync);
        // Topics are made by the services with the catalogue's settings (MeshTopics.create), never by a client's request.
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        KafkaConfig config = KafkaConfig.fromProps(p);
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            format(dataDir, nodes.clusterId(), nodeId, admin);
            if (admin.isPresent()) {
                Files.writeString(dataDir.resolve(SECURED_MARK), "formatted with SCRAM user " + admin.get().username() + "\n");
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new LocalKafka(server, nodes);
    }

    /** Formats only a fresh folder: a second format with a new cluster id would break the next start. */
    private static void format(Path dataDir, String clusterId, int nodeId, Optional<KafkaLogin> admin) throws IOException {
        String dir = dataDir.toAbsolutePath().toString();
        try {
            new Formatter()
                    // The admin exists from the first start, so that it can create the others then.
                    .setScramArguments(admin.map(a -> List.of(KafkaLogin.MECHANISM + "=[name=" + a.username() + ",password=" + a.password() + "]"))
                            .orElse(List.of()))
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(nodeId)
                    .setClusterId(clusterId)
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

    /** Creates or updates these principals' SCRAM credentials, as {@code admin}, and grants them {@code acls}. */
    public void addUsers(KafkaLogin admin, List<KafkaLogin> users, List<AclBinding> acls) {
        addUsers(bootstrapServers(), admin, users, acls);
    }

    /** The same, on a secured broker of this kind running elsewhere (another process), reached at {@code bootstrapServers}. */
    public static void addUsers(String bootstrapServers, KafkaLogin admin, List<KafkaLogin> users, List<AclBinding> acls) {
        try (Admin a = MeshClients.admin(KafkaAccess.as(bootstrapServers, admin))) {
            List<UserScramCredentialAlteration> upserts = new ArrayList<>();
            for (KafkaLogin u : users) {
                upserts.add(new UserScramCredentialUpsertion(u.username(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), u.password()));
            }
            a.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
            a.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the broker's users and ACLs: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the broker's users", e);
        }
    }

    /** Every node of the cluster this one belongs to. */
    public String bootstrapServers() {
        return nodes.bootstrapServers();
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}

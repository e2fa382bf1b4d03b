package io.un0.deploy.mesh;

import io.un0.broker.KafkaNodes;
import io.un0.broker.LocalKafka;
import io.un0.deploy.mesh.LocalCredentials.KafkaPrincipal;
import io.un0.deploy.mesh.ServiceProcess.Ports;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.KafkaLogin;
import io.un0.kafka.MeshAcls;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import io.un0.vocabulary.CpuEnergyModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;

/**
 * The whole mesh on this machine: a real KRaft Kafka broker, or a cluster of them (each node a process, data in a
 * local folder; topics replicated three times with two in sync where there are three nodes), the scheduler, the
 * workers and the gateway, each as its own process. The gRPC services (gateway, scheduler) serve TLS and
 * know their callers by the mesh's own credentials ({@link LocalCredentials}). Closing it stops them all, gateway first.
 */
public final class LocalMesh implements AutoCloseable {

    public static final String EDGE_POOL = "edge-cpu";
    /** Every worker of the local mesh runs in this one grid region, on this machine's grid. */
    public static final String REGION = "local";
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    private final List<ServiceProcess> brokers;
    private final String bootstrapServers;
    private final Map<String, ServiceProcess> services;
    private final LocalCredentials credentials;
    /** Where each Kafka node has a network of its own: how one is cut off. */
    private final Optional<NodeNetworks> networks;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The services are processes of their own: a launcher stopped by a signal stops them too, not only on Ctrl-C in {@code up}. */
    private final Thread stopOnExit = new Thread(this::closeOnExit, "un0-mesh-stop");

    private LocalMesh(List<ServiceProcess> brokers, String bootstrapServers, Map<String, ServiceProcess> services, LocalCredentials credentials,
                      Optional<NodeNetworks> networks) {
        this.brokers = brokers;
        this.bootstrapServers = bootstrapServers;
        this.services = services;
        this.credentials = credentials;
        this.networks = networks;
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    private void closeOnExit() {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @throws IllegalArgumentException naming both services when two would share a port
     * @throws IllegalStateException    naming the port when one is taken, or the service that failed to start
     */
    public static LocalMesh start(MeshOptions o) throws IOException, InterruptedException {
        Map<Integer, String> appPorts = new LinkedHashMap<>();
        for (int k = 1; k <= o.schedulers(); k++) {
            String whose = k == 1 ? "the scheduler's" : MeshOptions.schedulerName(k) + "'s";
            claim(appPorts, o.schedulerPorts(k).http(), whose + " HTTP port");
            claim(appPorts, o.schedulerPorts(k).grpc(), whose + " gRPC port");
        }
        for (int i = 0; i < o.gateways(); i++) {
            claim(appPorts, o.gatewayPort() + i, "gateway " + (i + 1) + "'s gRPC port");
            claim(appPorts, o.gatewayHttpPort() + i, "gateway " + (i + 1) + "'s HTTP port");
        }
        for (int i = 0; i < o.edgeWorkers() + (o.gpuWorker() ? 1 : 0); i++) {
            claim(appPorts, o.firstWorkerPort() + i, "worker " + (i + 1) + "'s port");
        }
        for (int port : appPorts.keySet()) {
            requireFree(port);
        }
        LocalCredentials credentials = LocalCredentials.ensure(o.dataDir());
        // Every principal authenticates (SASL/SCRAM) and may use only its topics (MeshAcls).
        KafkaLogin admin = credentials.kafkaLogin(KafkaPrincipal.ADMIN);
        Path logs = o.dataDir().resolve("logs");
        // Each broker is a process of its own: ports are fixed here, so that every node knows the others and the clients all.
        KafkaNodes claimed = KafkaNodes.claim(o.brokers(), portsFrom(o.kafkaPort(), o.brokers()), portsFrom(o.controllerPort(), o.brokers()));
        Optional<NodeNetworks> networks = o.nodeNetworks() ? Optional.of(NodeNetworks.make(o.brokers())) : Optional.empty();
        KafkaNodes nodes = networks.map(n -> claimed.on(n.addresses())).orElse(claimed);
        List<ServiceProcess> brokers = new ArrayList<>();
        for (int id = 1; id <= nodes.size(); id++) {
            String name = nodes.size() == 1 ? "broker" : "broker-" + id;
            // One broker keeps the folder it always had; a cluster's nodes have folders of their own, for that cluster size.
            Path folder = nodes.size() == 1 ? o.dataDir().resolve("kafka") : o.dataDir().resolve("kafka-cluster-" + nodes.size()).resolve("node-" + id);
            brokers.add(ServiceProcess.startMain(name, BrokerMain.class.getName(),
                    List.of(folder.toAbsolutePath().toString(), Integer.toString(id), nodes.describe(), REGION, Double.toString(CpuEnergyModel.DEFAULT_WATTS_PER_CORE)),
                    Map.of(BrokerMain.ADMIN_USERNAME, admin.username(), BrokerMain.ADMIN_PASSWORD, admin.password()), o.jvmFlags(),
                    Ports.shared(nodes.node(id).broker()), BrokerMain.READY, logs.resolve(name + ".log"), networks.isPresent() ? networks.get().inside(id) : List.of()));
        }
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        LocalMesh mesh = new LocalMesh(brokers, nodes.bootstrapServers(), services, credentials, networks);
        try {
            for (ServiceProcess broker : brokers) {
                broker.awaitReady(READY_WITHIN);
            }
            List<KafkaLogin> users = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (KafkaPrincipal p : KafkaPrincipal.values()) {
                p.role().ifPresent(role -> {
                    users.add(credentials.kafkaLogin(p));
                    acls.addAll(MeshAcls.of(role, p.username()));
                });
            }
            LocalKafka.addUsers(mesh.bootstrapServers, admin, users, acls);
            MeshTopics.create(mesh.kafkaAs(KafkaPrincipal.ADMIN), MeshTopic.FIXED);
            for (int k = 1; k <= o.schedulers(); k++) {
                String name = MeshOptions.schedulerName(k);
                services.put(name, ServiceProcess.start(name, o.app("scheduler"), o.schedulerPorts(k), scheduler(o, mesh.bootstrapServers, credentials, name), o.jvmFlags(),
                        logs.resolve(name + ".log")));
            }
            int port = o.firstWorkerPort();
            for (int i = 1; i <= o.edgeWorkers(); i++, port++) {
                String name = "edge-" + i;
                services.put(name, ServiceProcess.start(name, o.app("worker-edge"), Ports.shared(port), worker(o, mesh.bootstrapServers, credentials, name, "un0-worker-edge"), o.jvmFlags(),
                        logs.resolve(name + ".log")));
            }
            if (o.gpuWorker()) {
                services.put("gpu-1", ServiceProcess.start("gpu-1", o.app("worker-gpu"), Ports.shared(port), worker(o, mesh.bootstrapServers, credentials, "gpu-1", "un0-worker-gpu"), o.jvmFlags(),
                        logs.resolve("gpu-1.log")));
            }
            for (int i = 0; i < o.gateways(); i++) {
                String name = i == 0 ? "gateway" : "gateway-" + (i + 1);
                services.put(name, ServiceProcess.start(name, o.app("gateway"), new Ports(o.gatewayHttpPort() + i, o.gatewayPort() + i),
                        gateway(o, mesh.bootstrapServers, credentials), o.jvmFlags(), logs.resolve(name + ".log")));
            }
            for (ServiceProcess s : services.values()) {
                s.awaitReady(READY_WITHIN);
            }
            return mesh;
        } catch (IOException | InterruptedException | RuntimeException e) {
            mesh.close();
            throw e;
        }
    }

    private static Map<String, String> common(MeshOptions o, String bootstrapServers, KafkaLogin login, String serviceName) {
        Map<String, String> p = new HashMap<>(o.extraProperties());
        p.put("un0.kafka.bootstrap-servers", bootstrapServers);
        p.put("un0.kafka.username", login.username());
        p.put("un0.kafka.password", login.password());
        p.put("quarkus.otel.service.name", serviceName);
        if (o.otlpEndpoint().isPresent()) {
            p.put("quarkus.otel.exporter.otlp.endpoint", o.otlpEndpoint().get());
        } else {
            p.put("quarkus.otel.sdk.disabled", "true");
        }
        return p;
    }

    private static Map<String, String> gateway(MeshOptions o, String bootstrapServers, LocalCredentials credentials) {
        Map<String, String> p = common(o, bootstrapServers, credentials.kafkaLogin(KafkaPrincipal.GATEWAY), "un0-gateway");
        p.put("un0.energy.region", REGION);
        p.putAll(credentials.serviceSettings());
        return p;
    }

    /** The grid signal of the workers' one region is the figure they declare themselves, so routing and accounting agree. */
    private static Map<String, String> scheduler(MeshOptions o, String bootstrapServers, LocalCredentials credentials, String name) {
        Map<String, String> p = common(o, bootstrapServers, credentials.kafkaLogin(KafkaPrincipal.SCHEDULER), "un0-scheduler");
        p.put("un0.scheduler.instance", name);
        p.put("un0.energy.region", REGION);
        p.putAll(credentials.serviceSettings());
        String region = "un0.scheduler.grid.regions." + REGION + ".";
        p.put(region + "source", "static");
        p.put(region + "grams-per-kwh", Double.toString(o.gridIntensity()));
        p.put(region + "declared-as", o.gridIntensitySource());
        return p;
    }

    private static Map<String, String> worker(MeshOptions o, String bootstrapServers, LocalCredentials credentials, String id, String serviceName) {
        Map<String, String> p = common(o, bootstrapServers, credentials.kafkaLogin(KafkaPrincipal.WORKER), serviceName);
        p.put("un0.worker.id", id);
        p.put("un0.worker.site", "local");
        p.put("un0.worker.region", REGION);
        p.put("un0.worker.grid-intensity-g-per-kwh", Double.toString(o.gridIntensity()));
        p.put("un0.worker.grid-intensity-source", o.gridIntensitySource());
        if (id.startsWith("edge")) {
            p.put("un0.worker.pool", EDGE_POOL);
        }
        return p;
    }

    /** Two services on one port would leave the second unable to start, long after the cause: refused here, both named. */
    private static void claim(Map<Integer, String> ports, int port, String what) {
        String before = ports.putIfAbsent(port, what);
        if (before != null) {
            throw new IllegalArgumentException("port " + port + " would be both " + before + " and " + what + "; choose other ports");
        }
    }

    /** {@code count} ports from {@code first}, every other one (a broker's and a controller's interleave); none when left to chance. */
    private static List<Integer> portsFrom(int first, int count) {
        return first == 0 ? List.of() : IntStream.range(0, count).mapToObj(i -> first + 2 * i).toList();
    }

    private static void requireFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            // Free.
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is taken (" + e.getMessage() + "); choose another one", e);
        }
    }

    /** Every Kafka node's address and port, in node order, as clients are given them. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker as {@code principal}: what a client of the mesh's Kafka side may do is what that principal may. */
    public KafkaAccess kafkaAs(KafkaPrincipal principal) {
        return KafkaAccess.as(bootstrapServers, credentials.kafkaLogin(principal));
    }

    /** The CA to trust, the callers' tokens and tenant-a's client certificate, for clients of the gRPC services. */
    public LocalCredentials credentials() {
        return credentials;
    }

    public ServiceProcess service(String name) {
        ServiceProcess s = services.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no service " + name + " (have " + services.keySet() + ")");
        }
        return s;
    }

    /**
     * Starts a service that was killed or has exited again, from the same build, on the same ports, with the same
     * configuration and log, and waits until it is ready.
     *
     * @throws IllegalStateException while it still runs, or when it is not ready in time
     */
    public ServiceProcess restart(String name) throws IOException, InterruptedException {
        ServiceProcess again = service(name).restarted();
        services.put(name, again);
        again.awaitReady(READY_WITHIN);
        return again;
    }

    /**
     * Starts Kafka node {@code node} (from 1) again, after it was killed, with the same data and ports, and waits until
     * it serves: it catches up from the others.
     */
    public ServiceProcess restartBroker(int node) throws IOException, InterruptedException {
        ServiceProcess again = brokers.get(node - 1).restarted();
        brokers.set(node - 1, again);
        again.awaitReady(READY_WITHIN);
        return again;
    }

    /**
     * What a test that found the mesh stuck prints before it fails: every live service's own metrics and threads and the
     * end of every log, brokers' included (a CI machine keeps neither the logs nor the processes).
     */
    public String diagnosis() {
        StringBuilder out = new StringBuilder();
        for (ServiceProcess s : services.values()) {
            out.append("=== ").append(s.name()).append(s.alive() ? "" : " (exited)").append(": the end of its log\n").append(s.tail()).append('\n');
            if (s.alive()) {
                out.append("=== ").append(s.name()).append(": metrics\n").append(s.meshMetrics()).append('\n');
                out.append("=== ").append(s.name()).append(": threads\n").append(s.threadDump()).append('\n');
            }
        }
        for (ServiceProcess b : brokers) {
            out.append("=== ").append(b.name()).append(b.alive() ? "" : " (gone)").append(": the end of its log\n").append(b.tail()).append('\n');
        }
        return out.toString();
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services.values());
    }

    /**
     * The Kafka node (from 1) that leads this partition now: where its writes and reads go, the one whose loss a
     * fault test means.
     */
    public int leaderOf(MeshTopic topic, int partition) throws Exception {
        try (Admin admin = MeshClients.admin(kafkaAs(KafkaPrincipal.ADMIN))) {
            return admin.describeTopics(List.of(topic.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic.name()).partitions().get(partition).leader().id();
        }
    }

    /** The Kafka node (from 1) that leads the KRaft metadata quorum now: the active controller. */
    public int activeController() throws Exception {
        try (Admin admin = MeshClients.admin(kafkaAs(KafkaPrincipal.ADMIN))) {
            return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        }
    }

    /** The scheduler instances' names, the first first. */
    public List<String> schedulers() {
        List<String> names = new ArrayList<>();
        for (int k = 1; services.containsKey(MeshOptions.schedulerName(k)); k++) {
            names.add(MeshOptions.schedulerName(k));
        }
        return names;
    }

    /** The brokers' processes, node 1 first. */
    public List<ServiceProcess> brokers() {
        return List.copyOf(brokers);
    }

    /** The Kafka nodes' networks, where each node has one of its own ({@link MeshOptions#nodeNetworks}). */
    public Optional<NodeNetworks> networks() {
        return networks;
    }

    /** The first of its services that is no longer running, if one has exited. */
    public Optional<ServiceProcess> firstExited() {
        return services.values().stream().filter(s -> !s.alive()).findFirst();
    }

    /** Stops every service, last started first (the gateway first, so no new work comes in), then the broker; once, whoever asks first. */
    @Override
    public void close() throws InterruptedException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != stopOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is stopping: the hook runs anyway and finds the mesh closed.
            }
        }
        List<ServiceProcess> order = new ArrayList<>(services.values());
        Collections.reverse(order);
        for (ServiceProcess s : order) {
            s.close();
        }
        ServiceProcess.closeTogether(brokers);
        if (networks.isPresent()) {
            try {
                networks.get().close();
            } catch (IOException e) {
                System.err.println("the Kafka nodes' network namespaces were not all removed: " + e.getMessage());
            }
        }
    }
}

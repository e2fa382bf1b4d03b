package io.un0.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import io.un0.kafka.MeshTopics;
import org.apache.kafka.common.Uuid;

/**
 * The nodes of a local KRaft cluster, each a broker and a controller in one process: their addresses (127.0.0.1, or
 * one each where each node has a network of its own) and ports, known to every node before any starts (the
 * controllers vote among themselves), and the cluster id they are formatted with. Node ids count from 1, in the order
 * of {@link #nodes}.
 */
public record KafkaNodes(String clusterId, List<Ports> nodes) {

    static final String HOST = "127.0.0.1";

    /**
     * @param host       the node's address: it listens there, clients and the other nodes reach it there
     * @param broker     clients connect here
     * @param controller the node's KRaft controller listens here
     */
    public record Ports(String host, int broker, int controller) {
    }

    public KafkaNodes {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a Kafka cluster needs at least one node");
        }
    }

    /**
     * {@code count} nodes; a port of 0 is chosen free here, the others are checked free.
     *
     * @param brokerPorts     one per node, or none for every one chosen free
     * @param controllerPorts the same for the controllers
     * @throws IllegalStateException naming the port when one is taken
     */
    public static KafkaNodes claim(int count, List<Integer> brokerPorts, List<Integer> controllerPorts) {
        if (count < 1 || (!brokerPorts.isEmpty() && brokerPorts.size() != count) || (!controllerPorts.isEmpty() && controllerPorts.size() != count)) {
            throw new IllegalArgumentException(count + " nodes need as many broker and controller ports (or none), got " + brokerPorts + ", " + controllerPorts);
        }
        List<Ports> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(new Ports(HOST, claim(brokerPorts.isEmpty() ? 0 : brokerPorts.get(i), "broker"),
                    claim(controllerPorts.isEmpty() ? 0 : controllerPorts.get(i), "controller")));
        }
        return new KafkaNodes(Uuid.randomUuid().toString(), nodes);
    }

    /** The same nodes and ports, node k listening on {@code hosts.get(k - 1)}. */
    public KafkaNodes on(List<String> hosts) {
        if (hosts.size() != nodes.size()) {
            throw new IllegalArgumentException(nodes.size() + " nodes need as many addresses, got " + hosts);
        }
        return new KafkaNodes(clusterId, IntStream.range(0, nodes.size())
                .mapToObj(i -> new Ports(hosts.get(i), nodes.get(i).broker(), nodes.get(i).controller())).toList());
    }

    public int size() {
        return nodes.size();
    }

    /** The node with this id (from 1). */
    public Ports node(int id) {
        if (id < 1 || id > nodes.size()) {
            throw new IllegalArgumentException("node " + id + " is not one of the cluster's 1.." + nodes.size());
        }
        return nodes.get(id - 1);
    }

    /** Every node's controller, as {@code controller.quorum.voters} lists them. */
    String voters() {
        return IntStream.rangeClosed(1, nodes.size()).mapToObj(id -> id + "@" + node(id).host() + ":" + node(id).controller()).collect(Collectors.joining(","));
    }

    /** Every broker: a client that knows them all finds the cluster while any one is up. */
    public String bootstrapServers() {
        return nodes.stream().map(p -> p.host() + ":" + p.broker()).collect(Collectors.joining(","));
    }

    /** How many copies of each record the cluster keeps, and how many must be in sync: as the services' topics have. */
    public MeshTopics.Replication replication() {
        return MeshTopics.Replication.forBrokers(nodes.size());
    }

    /** As a command line takes it: {@code clusterId/host:broker:controller,host:broker:controller,...}. */
    public String describe() {
        return clusterId + "/" + nodes.stream().map(p -> p.host() + ":" + p.broker() + ":" + p.controller()).collect(Collectors.joining(","));
    }

    /** @throws IllegalArgumentException for a text not made by {@link #describe} */
    public static KafkaNodes parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 1) {
            throw new IllegalArgumentException("not clusterId/host:broker:controller,...: " + text);
        }
        List<Ports> nodes = new ArrayList<>();
        for (String node : text.substring(slash + 1).split(",")) {
            String[] parts = node.split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("not host:broker:controller: " + node);
            }
            nodes.add(new Ports(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
        }
        return new KafkaNodes(text.substring(0, slash), nodes);
    }

    private static int claim(int port, String role) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("the Kafka " + role + " port " + port + " on " + HOST
                    + " is taken (" + e.getMessage() + "); choose another one", e);
        }
    }
}

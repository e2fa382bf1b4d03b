package io.un0.deploy.mesh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Each Kafka node of a local cluster in a Linux network namespace of its own, joined to a bridge on this machine by a
 * veth pair: the services, on the machine, reach node k at 10.77.0.(10 + k) through the bridge, and the nodes reach
 * one another the same way. Taking a node's link down on the machine's side cuts it off from all of them at once, as a
 * network partition would: its packets are dropped, not refused, so connections to it time out; taking it up heals
 * it. Needs root and iproute2 ({@link #unavailable} says why not, where not).
 */
public final class NodeNetworks implements AutoCloseable {

    /** Interface names have at most 15 characters. */
    private static final String BRIDGE = "un0-kafka-br";
    private static final String SUBNET = "10.77.0.";
    private static final String MACHINE = SUBNET + "1";

    private final int nodes;

    private NodeNetworks(int nodes) {
        this.nodes = nodes;
    }

    /** Why network namespaces cannot be made on this machine; empty where they can. */
    public static Optional<String> unavailable() throws InterruptedException {
        try {
            String uid = run(List.of("id", "-u")).trim();
            if (!uid.equals("0")) {
                return Optional.of("network namespaces need root (uid 0), this is uid " + uid);
            }
            run(List.of("ip", "netns", "add", "un0-probe"));
            run(List.of("ip", "netns", "del", "un0-probe"));
            return Optional.empty();
        } catch (IOException | IllegalStateException e) {
            return Optional.of("network namespaces cannot be made here: " + e.getMessage());
        }
    }

    /** Namespaces and links for {@code nodes} nodes, left over ones of an earlier run removed first. */
    public static NodeNetworks make(int nodes) throws IOException, InterruptedException {
        NodeNetworks networks = new NodeNetworks(nodes);
        networks.remove();
        run(List.of("ip", "link", "add", BRIDGE, "type", "bridge"));
        run(List.of("ip", "addr", "add", MACHINE + "/24", "dev", BRIDGE));
        run(List.of("ip", "link", "set", BRIDGE, "up"));
        for (int k = 1; k <= nodes; k++) {
            String ns = namespace(k);
            String inner = "un0-kafka-in" + k;
            run(List.of("ip", "netns", "add", ns));
            run(List.of("ip", "link", "add", link(k), "type", "veth", "peer", "name", inner));
            run(List.of("ip", "link", "set", inner, "netns", ns));
            run(List.of("ip", "link", "set", link(k), "master", BRIDGE));
            run(List.of("ip", "link", "set", link(k), "up"));
            run(List.of("ip", "-n", ns, "addr", "add", networks.address(k) + "/24", "dev", inner));
            run(List.of("ip", "-n", ns, "link", "set", inner, "up"));
            run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
        }
        return networks;
    }

    /** Node k's address (from 1). */
    public String address(int node) {
        if (node < 1 || node > nodes) {
            throw new IllegalArgumentException("node " + node + " is not one of 1.." + nodes);
        }
        return SUBNET + (10 + node);
    }

    /** Every node's address, in node order. */
    public List<String> addresses() {
        return IntStream.rangeClosed(1, nodes).mapToObj(this::address).toList();
    }

    /** What node k's command runs under: its namespace. */
    public List<String> inside(int node) {
        address(node);
        return List.of("ip", "netns", "exec", namespace(node));
    }

    /** Cuts node k off: its link down, every packet to and from it dropped. */
    public void cut(int node) throws IOException, InterruptedException {
        address(node);
        run(List.of("ip", "link", "set", link(node), "down"));
    }

    /** Joins node k again. */
    public void heal(int node) throws IOException, InterruptedException {
        address(node);
        run(List.of("ip", "link", "set", link(node), "up"));
    }

    /** Removes the namespaces and the bridge (a node's veth pair goes with its namespace). Call once its nodes have stopped. */
    @Override
    public void close() throws IOException, InterruptedException {
        remove();
    }

    private void remove() throws IOException, InterruptedException {
        for (int k = 1; k <= nodes; k++) {
            runIgnoringFailure(List.of("ip", "netns", "del", namespace(k)));
            runIgnoringFailure(List.of("ip", "link", "del", link(k)));
        }
        runIgnoringFailure(List.of("ip", "link", "del", BRIDGE));
    }

    private static String namespace(int node) {
        return "un0-kafka-" + node;
    }

    /** The machine's end of node k's veth pair. */
    private static String link(int node) {
        return "un0-kafka-v" + node;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out.trim());
        }
        return out;
    }

    private static void runIgnoringFailure(List<String> command) throws IOException, InterruptedException {
        new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
}

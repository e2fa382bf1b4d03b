package io.un0.deploy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports free on this machine now, for a mesh the tests start beside whatever else runs. One instance hands out the
 * ports of one mesh: none twice, and none inside a run it handed out before (the ports after a service's own, where
 * its second instance listens).
 *
 * <p>Ports are drawn below the kernel's ephemeral range, never from it: a port the kernel hands to
 * {@code new ServerSocket(0)} is one it may hand again, a moment later, as the local end of any outgoing connection
 * (a client reaching the broker, say), and the service that was to listen there would fail to start.
 */
final class FreePorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default ephemeral range starts here; other systems' (IANA's 49152) start higher. */
    private static final int DEFAULT_EPHEMERAL_LOW = 32768;
    /** Above the well-known and the commonly registered service ports. */
    private static final int LOWEST = 10000;

    private final Set<Integer> handedOut = new HashSet<>();
    private final int highest = ephemeralLow() - 1;

    int one() throws IOException {
        return run(1);
    }

    /** A free port whose next {@code length - 1} ports are free too: a service and the ones after it (two gateways, say). */
    int run(int length) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest - length + 2);
            if (untouched(port, port + length) && allFree(port, port + length)) {
                for (int p = port; p < port + length; p++) {
                    handedOut.add(p);
                }
                return port;
            }
        }
        throw new IOException("no " + length + " free ports side by side in " + LOWEST + ".." + highest);
    }

    private static int ephemeralLow() {
        try {
            int low = Integer.parseInt(Files.readString(EPHEMERAL_RANGE).trim().split("\\s+")[0]);
            // A range reaching down to our band leaves nothing safe: fall back to the default band.
            return low > LOWEST + 1000 ? low : DEFAULT_EPHEMERAL_LOW;
        } catch (IOException | RuntimeException absent) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    private boolean untouched(int from, int to) {
        for (int p = from; p < to; p++) {
            if (handedOut.contains(p)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allFree(int from, int to) {
        for (int p = from; p < to; p++) {
            try (ServerSocket probe = new ServerSocket(p)) {
                // Free.
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}

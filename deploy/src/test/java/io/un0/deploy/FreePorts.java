package io.un0.deploy;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Ports free on this machine now, for a mesh the tests start beside whatever else runs. One instance hands out the
 * ports of one mesh: none twice, and none inside a run it handed out before (the ports after a service's own, where
 * its second instance listens), since the operating system, asked twice, may well answer the same port twice.
 */
final class FreePorts {

    private final Set<Integer> handedOut = new HashSet<>();

    int one() throws IOException {
        return run(1);
    }

    /** A free port whose next {@code length - 1} ports are free too: a service and the ones after it (two gateways, say). */
    int run(int length) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (untouched(port, port + length) && allFree(port + 1, port + length)) {
                for (int p = port; p < port + length; p++) {
                    handedOut.add(p);
                }
                return port;
            }
        }
        throw new IOException("no " + length + " free ports side by side");
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
            try (ServerSocket next = new ServerSocket(p)) {
                // Free.
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}

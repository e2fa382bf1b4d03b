package io.un0.deploy;

import java.io.IOException;
import java.net.ServerSocket;

/** Ports free on this machine now, for a mesh the tests start beside whatever else runs. */
final class FreePorts {

    private FreePorts() {
    }

    static int one() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A free port whose next {@code length - 1} ports are free too: a service and the ones after it (two gateways, say). */
    static int run(int length) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = one();
            if (allFree(port + 1, port + length)) {
                return port;
            }
        }
        throw new IOException("no " + length + " free ports side by side");
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

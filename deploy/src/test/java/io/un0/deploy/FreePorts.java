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

    /** A free port whose next port is free too: a service and the one after it (two gateways, say). */
    static int pair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = one();
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IOException("no two free ports side by side");
    }
}

package io.un0.deploy.bench;

import io.grpc.ManagedChannel;
import io.un0.deploy.mesh.LocalCredentials.Caller;
import io.un0.deploy.mesh.LocalMesh;
import io.un0.deploy.mesh.MeshChannels;
import java.io.IOException;

/**
 * Channels to one gateway: as tenant-a (its token on every call) and naming no caller, for calls that bring their
 * own credentials or none. They outlive the gateway's process: a restarted gateway is reached again on the same port.
 */
record GatewayChannels(String name, int port, ManagedChannel tenantA, ManagedChannel anonymous) implements AutoCloseable {

    static GatewayChannels open(LocalMesh mesh, String name) throws IOException {
        int port = mesh.service(name).ports().grpc();
        return new GatewayChannels(name, port, MeshChannels.withToken(mesh.credentials(), port, Caller.TENANT_A),
                MeshChannels.anonymous(mesh.credentials(), port));
    }

    String label() {
        return name + " (gRPC " + port + ")";
    }

    @Override
    public void close() {
        tenantA.shutdownNow();
        anonymous.shutdownNow();
    }
}

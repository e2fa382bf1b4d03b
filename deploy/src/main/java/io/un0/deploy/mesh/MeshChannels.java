package io.un0.deploy.mesh;

import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.un0.deploy.mesh.LocalCredentials.Caller;
import java.io.IOException;

/**
 * Channels to the local mesh's gRPC servers: TLS trusting the mesh's own CA (whose server certificate names
 * 127.0.0.1), the caller named by a bearer token, by tenant-a's client certificate, or not at all.
 */
public final class MeshChannels {

    private static final String HOST = "127.0.0.1";

    private MeshChannels() {
    }

    /** Every call carries the caller's token. */
    public static ManagedChannel withToken(LocalCredentials credentials, int port, Caller caller) throws IOException {
        return open(port, CompositeChannelCredentials.create(tls(credentials).build(), BearerToken.read(credentials.token(caller))));
    }

    /** No token: tenant-a's client certificate says who calls (mutual TLS). */
    public static ManagedChannel withClientCertificate(LocalCredentials credentials, int port) throws IOException {
        return open(port, tls(credentials).keyManager(credentials.clientCertificate().toFile(), credentials.clientKey().toFile()).build());
    }

    /** Encrypted, but naming no caller: what the services must refuse. */
    public static ManagedChannel anonymous(LocalCredentials credentials, int port) throws IOException {
        return open(port, tls(credentials).build());
    }

    private static TlsChannelCredentials.Builder tls(LocalCredentials credentials) throws IOException {
        return TlsChannelCredentials.newBuilder().trustManager(credentials.caCertificate().toFile());
    }

    private static ManagedChannel open(int port, ChannelCredentials credentials) {
        return Grpc.newChannelBuilderForAddress(HOST, port, credentials).build();
    }
}

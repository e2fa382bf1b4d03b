package io.un0.deploy.mesh;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.StreamObserver;
import io.un0.deploy.mesh.LocalCredentials.Caller;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GenerateResponse;
import io.un0.proto.v1.GeneratorGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The clients' channels against a TLS gRPC server set up as the services are (the mesh's server certificate, its CA
 * trusted for client certificates, which are requested, not required): what reaches the server from each.
 */
class MeshChannelsTest {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @TempDir
    Path data;

    private LocalCredentials credentials;
    private Server server;

    @BeforeEach
    void start() throws Exception {
        credentials = LocalCredentials.ensure(data);
        ServerCredentials tls = TlsServerCredentials.newBuilder()
                .keyManager(credentials.serverCertificate().toFile(), credentials.serverKey().toFile())
                .trustManager(credentials.caCertificate().toFile())
                .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL).build();
        server = Grpc.newServerBuilderForPort(0, tls).addService(ServerInterceptors.intercept(new CallerEcho(), new CallerInterceptor()))
                .build().start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aTokenChannelSendsTheCallersBearerTokenOverTls() throws Exception {
        String token = Files.readString(credentials.token(Caller.TENANT_A)).strip();
        assertEquals("Bearer " + token + " | no certificate", call(MeshChannels.withToken(credentials, server.getPort(), Caller.TENANT_A)));
        String operator = Files.readString(credentials.token(Caller.OPERATOR)).strip();
        assertEquals("Bearer " + operator + " | no certificate", call(MeshChannels.withToken(credentials, server.getPort(), Caller.OPERATOR)));
    }

    @Test
    void aCertificateChannelPresentsTenantAsClientCertificateAndNoToken() throws Exception {
        assertEquals("no token | CN=alice,OU=client,O=tenant-a", call(MeshChannels.withClientCertificate(credentials, server.getPort())));
    }

    @Test
    void anAnonymousChannelNamesNoCaller() throws Exception {
        assertEquals("no token | no certificate", call(MeshChannels.anonymous(credentials, server.getPort())));
    }

    private static String call(ManagedChannel channel) throws InterruptedException {
        try {
            return GeneratorGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .generate(GenerateRequest.getDefaultInstance()).getJobId();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Puts what the interceptor saw of the caller where the test reads it: the answer's job id. */
    private static final class CallerEcho extends GeneratorGrpc.GeneratorImplBase {
        @Override
        public void generate(GenerateRequest request, StreamObserver<GenerateResponse> responses) {
            responses.onNext(GenerateResponse.newBuilder().setJobId(CallerInterceptor.SEEN.get()).build());
            responses.onCompleted();
        }
    }

    private static final class CallerInterceptor implements ServerInterceptor {
        static final Context.Key<String> SEEN = Context.key("seen");

        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
            String token = headers.containsKey(AUTHORIZATION) ? headers.get(AUTHORIZATION) : "no token";
            String certificate = clientSubject(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
            return Contexts.interceptCall(Context.current().withValue(SEEN, token + " | " + certificate), call, headers, next);
        }

        private static String clientSubject(SSLSession session) {
            try {
                return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException none) {
                return "no certificate";
            }
        }
    }
}

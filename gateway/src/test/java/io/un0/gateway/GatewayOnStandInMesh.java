package io.un0.gateway;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the gateway's tests on a real broker share: the rest of the mesh played by {@link MeshStandIn}, the gateway
 * awaited until ready, one plaintext channel to its gRPC port. Subclasses are {@code @QuarkusTest}s with the
 * broker as their test resource and one instance per class.
 */
abstract class GatewayOnStandInMesh {

    @TestHTTPResource("/")
    URL root;

    /** gRPC has its own server and port; HTTP serves health and metrics. */
    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    @ConfigProperty(name = "un0.kafka.bootstrap-servers")
    String bootstrapServers;

    ManagedChannel channel;
    MeshStandIn mesh;

    @BeforeAll
    void connect() throws Exception {
        // The stand-in first: the gateway is ready only while a scheduler (here, the stand-in) is in the schedulers' group.
        MeshTopics.create(bootstrapServers, MeshTopic.FIXED);
        mesh = new MeshStandIn(bootstrapServers);
        awaitReady(root);
        channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
    }

    @AfterAll
    void disconnect() throws InterruptedException {
        mesh.close();
        channel.shutdownNow();
    }

    /** Ready once the gateway has created the topics and caught up with the results. */
    static void awaitReady(URL root) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(root.toString()).resolve("/q/health/ready")).build();
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            assertTrue(System.nanoTime() < until, "gateway ready within 60 s");
            Thread.sleep(200);
        }
    }
}

package io.un0.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.un0.broker.LocalKafkaResource;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GeneratorGrpc;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** With the broker up but no scheduler running, Generate is answered UNAVAILABLE at once, and the gateway is not ready. */
@QuarkusTest
@TestProfile(GatewayWithoutSchedulerIT.NoGrace.class)
@QuarkusTestResource(value = LocalKafkaResource.class, restrictToAnnotatedClass = true)
class GatewayWithoutSchedulerIT {

    /** No grace for a restarting scheduler, and a quick look. */
    public static class NoGrace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("un0.gateway.scheduler-grace", "0s", "un0.gateway.scheduler-check-every", "200ms");
        }
    }

    @TestHTTPResource("/")
    URL root;

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    @Test
    void callsAreRefusedAtOnceAndTheGatewaySaysItIsNotReady() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
        try {
            // A minute to wait, had the call been taken: UNAVAILABLE, not DEADLINE_EXCEEDED, shows it was not.
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> GeneratorGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(60, TimeUnit.SECONDS).generate(GenerateRequest.newBuilder().setClassId(1).build()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
            assertTrue(e.getStatus().getDescription().startsWith("no scheduler is running"), e.getStatus().getDescription());
        } finally {
            channel.shutdownNow();
        }
        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(root.toURI().resolve("/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("no scheduler is running"), ready.body());
    }
}

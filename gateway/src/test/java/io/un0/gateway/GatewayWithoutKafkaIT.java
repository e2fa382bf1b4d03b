package io.un0.gateway;

import com.google.rpc.RetryInfo;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchesGrpc;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GeneratorGrpc;
import io.un0.proto.v1.SubmitBatchRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With no broker to be reached, calls are answered UNAVAILABLE with a retry hint, not left hanging. */
@QuarkusTest
@TestProfile(GatewayWithoutKafkaIT.NoBroker.class)
class GatewayWithoutKafkaIT {

    /** A port nothing listens on, and a short send timeout. */
    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("un0.kafka.bootstrap-servers", "127.0.0.1:1", "un0.gateway.send-timeout", "1s");
        }
    }

    /** gRPC has its own server and port; HTTP serves health and metrics. */
    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    @Test
    void callsAreAnsweredUnavailableWithARetryHint() {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
        try {
            StatusRuntimeException generate = assertThrows(StatusRuntimeException.class, () -> GeneratorGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS).generate(GenerateRequest.newBuilder().setClassId(1).build()));
            assertEquals(Status.Code.UNAVAILABLE, generate.getStatus().getCode(), generate.getStatus().toString());
            assertTrue(generate.getStatus().getDescription().contains("retry in 5 s"), generate.getStatus().getDescription());
            assertEquals(5, GatewayIT.detail(generate, RetryInfo.class).getRetryDelay().getSeconds());

            StatusRuntimeException batch = assertThrows(StatusRuntimeException.class, () -> BatchesGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS).submitBatch(SubmitBatchRequest.newBuilder()
                            .addItems(BatchItem.newBuilder().setClassName("bag")).build()));
            assertEquals(Status.Code.UNAVAILABLE, batch.getStatus().getCode());

            StatusRuntimeException invalid = assertThrows(StatusRuntimeException.class, () -> GeneratorGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS).generate(GenerateRequest.getDefaultInstance()));
            assertEquals(Status.Code.INVALID_ARGUMENT, invalid.getStatus().getCode(), "validation comes before Kafka");
        } finally {
            channel.shutdownNow();
        }
    }
}

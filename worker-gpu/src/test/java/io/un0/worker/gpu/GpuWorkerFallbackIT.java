package io.un0.worker.gpu;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.un0.broker.LocalKafkaResource;
import io.un0.model.ModelPackage;
import io.un0.proto.MeshTopic;
import io.un0.proto.v1.DeviceClass;
import io.un0.proto.mesh.v1.Heartbeat;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The app told to fall back, on a machine without a GPU: it starts, and its heartbeats and health say CPU. */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
@TestProfile(GpuWorkerFallbackIT.FallbackToCpu.class)
class GpuWorkerFallbackIT {

    public static class FallbackToCpu implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("un0.worker.gpu.fallback-to-cpu", "true");
        }
    }

    @ConfigProperty(name = "un0.kafka.bootstrap-servers")
    String kafka;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    @Test
    void withoutAGpuItServesFromTheCpuAndSaysSo() throws Exception {
        CudaCheck check = CudaCheck.attempt(ModelPackage.bundled(ModelPackage.GENERATOR_FP32));
        assumeFalse(check.usable(), "a GPU is usable here, so the app runs on it: " + check.findings());

        Heartbeat heartbeat = null;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.GROUP_ID_CONFIG, "gpu-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(MeshTopic.HEARTBEATS.name()));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (heartbeat == null && System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    heartbeat = Heartbeat.parseFrom(r.value());
                }
            }
        }
        assertNotNull(heartbeat, "no heartbeat within 30 s");
        assertEquals("gpu", heartbeat.getPool());
        assertEquals("CPU", heartbeat.getExecutionProvider());
        assertEquals(DeviceClass.DEVICE_CLASS_CPU, heartbeat.getDeviceClass());

        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"device-class\": \"CPU\""), health.body());
    }
}

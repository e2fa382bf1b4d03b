package io.un0.worker.edge;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.un0.broker.LocalKafkaResource;
import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.v1.DeviceClass;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.mesh.v1.Heartbeat;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import io.un0.proto.v1.Precision;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged app's beans against a real broker: one assignment in on the pool's topic, one result and heartbeats out. */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class EdgeWorkerIT {

    private static final String POOL = "edge-cpu";

    @ConfigProperty(name = "un0.kafka.bootstrap-servers")
    String kafka;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    @Test
    void servesAnAssignmentOfItsPoolAndReportsItself() throws Exception {
        String topic = MeshTopic.assignments(POOL).name();
        assertEquals("un0.assignments.edge-cpu.v1", topic);
        // As the scheduler would before routing here; else the first send could auto-create the topic with one partition.
        MeshTopics.create(kafka, List.of(MeshTopic.assignments(POOL)));
        Assignment assignment = Assignment.newBuilder().setPool(POOL).setPrecision(Precision.PRECISION_FP32).setSteps(1)
                .setJob(Job.newBuilder().setJobId("it-1").setClassId(3).setCount(2).setSeed(42)).build();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "it-1", assignment.toByteArray())).get();
        }

        JobResult result = null;
        Heartbeat heartbeat = null;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.GROUP_ID_CONFIG, "edge-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(MeshTopic.RESULTS.name(), MeshTopic.HEARTBEATS.name()));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((result == null || heartbeat == null) && System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(MeshTopic.RESULTS.name())) {
                        result = JobResult.parseFrom(r.value());
                    } else {
                        heartbeat = Heartbeat.parseFrom(r.value());
                    }
                }
            }
        }

        assertNotNull(result, "no result within 30 s");
        assertEquals("it-1", result.getJobId());
        assertEquals(JobStatus.JOB_STATUS_SUCCEEDED, result.getStatus(), result.getError());
        assertEquals(List.of(42L, 43L), result.getSeedsList());
        assertEquals(2, result.getPngCount());
        for (var png : result.getPngList()) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
            assertNotNull(image, "not a PNG");
            assertEquals(28, image.getWidth());
        }
        assertEquals("CPU", result.getAccounting().getExecutionProvider());
        assertEquals(DeviceClass.DEVICE_CLASS_CPU, result.getAccounting().getDeviceClass());
        assertEquals(EnergySource.ENERGY_SOURCE_MODELLED, result.getAccounting().getEnergy().getSource());

        assertNotNull(heartbeat, "no heartbeat within 30 s");
        assertEquals(POOL, heartbeat.getPool());
        assertEquals(result.getAccounting().getWorker(), heartbeat.getWorker());
        assertEquals("local", heartbeat.getRegion());
        assertEquals("CPU", heartbeat.getExecutionProvider());
        assertEquals(DeviceClass.DEVICE_CLASS_CPU, heartbeat.getDeviceClass());
        assertEquals(Set.of(Precision.PRECISION_FP32, Precision.PRECISION_INT8), Set.copyOf(heartbeat.getPrecisionsList()));

        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("un0-worker") && health.body().contains("\"execution-provider\": \"CPU\""), health.body());
    }
}

package io.un0.scheduler;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.mesh.v1.GridIntensity;
import io.un0.proto.mesh.v1.Job;
import io.un0.scheduler.testing.BeatingWorkers;
import io.un0.broker.LocalKafkaResource;
import io.un0.scheduler.testing.MeshTap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged wiring: config, policy producer, OpenTelemetry bean, the loop on start, readiness over HTTP. */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class SchedulerAppIT {

    @TestHTTPResource("/q/health/ready")
    URI ready;

    @ConfigProperty(name = "un0.kafka.bootstrap-servers")
    String bootstrapServers;

    @Test
    void readyOnceRoutingAndRoutesAJob() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (health.statusCode() != 200 && System.nanoTime() < until) {
            Thread.sleep(100);
            health = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        }
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"status\": \"UP\"") && health.body().contains("carbon-aware"), health.body());

        MeshTopics.create(bootstrapServers, MeshTopic.assignmentLanes("edge-app"));
        try (BeatingWorkers workers = new BeatingWorkers(bootstrapServers, Duration.ofMillis(500));
             KafkaProducer<String, byte[]> producer = MeshClients.producer(bootstrapServers, "test-gateway", Duration.ofSeconds(10));
             MeshTap tap = new MeshTap(bootstrapServers, MeshTopic.assignments("edge-app").name())) {
            workers.beat(BeatingWorkers.worker("app-1", "edge-app", "ES", 4, 0));
            producer.send(new ProducerRecord<>(MeshTopic.JOBS.name(), "app-job", Job.newBuilder().setJobId("app-job").setCount(1)
                    .build().toByteArray())).get();
            tap.await(MeshTopic.assignments("edge-app").name(), Assignment.parser(), a -> a.getJob().getJobId().equals("app-job"));
        }
        try (MeshTap grid = new MeshTap(bootstrapServers, MeshTopic.GRID_SIGNALS.name())) {
            GridIntensity local = grid.await(MeshTopic.GRID_SIGNALS.name(), GridIntensity.parser(), g -> g.getRegion().equals("local")).message();
            assertEquals(480, local.getGramsPerKwh(), "the declared figure of the local mesh's region, published at start");
            assertEquals("static: world average 2023 (Ember)", local.getSource());
        }
    }
}

package io.un0.broker;

import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local broker is a real Kafka: topics with their settings, records that survive a restart, clear port errors. */
class LocalKafkaIT {

    @Test
    void createsTopicsKeepsRecordsAcrossARestart(@TempDir Path data) throws Exception {
        try (LocalKafka kafka = LocalKafka.start(data, 0, 0)) {
            MeshTopics.create(kafka.bootstrapServers(), MeshTopic.FIXED);
            MeshTopics.create(kafka.bootstrapServers(), MeshTopic.FIXED); // again: existing topics are left alone
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                assertTrue(admin.listTopics().names().get().containsAll(MeshTopic.FIXED.stream().map(MeshTopic::name).toList()));
                ConfigResource heartbeats = new ConfigResource(ConfigResource.Type.TOPIC, MeshTopic.HEARTBEATS.name());
                Config config = admin.describeConfigs(List.of(heartbeats)).all().get().get(heartbeats);
                assertEquals("compact", config.get("cleanup.policy").value());
                assertEquals(MeshTopic.JOBS.partitions(),
                        admin.describeTopics(List.of(MeshTopic.JOBS.name())).allTopicNames().get().get(MeshTopic.JOBS.name()).partitions().size());
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(MeshTopic.JOBS.name(), "job-1", "hello")).get();
            }
        }
        try (LocalKafka kafka = LocalKafka.start(data, 0, 0);
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, "test", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                     new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(MeshTopic.JOBS.name()));
            String value = null;
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (value == null && System.nanoTime() < until) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    value = records.iterator().next().value();
                }
            }
            assertEquals("hello", value, "the record written before the restart is read after it");
        }
    }

    @Test
    void takenPortIsNamed(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalKafka.start(data, taken.getLocalPort(), 0));
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort()) && e.getMessage().contains("taken"), e.getMessage());
        }
    }
}

package io.un0.broker;

import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three KRaft nodes (in one JVM here; the launcher runs each in a process of its own): the mesh's topics are made with
 * three replicas and two in sync, and a node lost while producers write loses no acknowledged record.
 */
class LocalKafkaClusterIT {

    @Test
    void topicsAreReplicatedThreeTimesAndANodeLostLosesNoAcknowledgedRecord(@TempDir Path data) throws Exception {
        KafkaNodes nodes = KafkaNodes.claim(3, List.of(), List.of());
        List<LocalKafka> running = new ArrayList<>();
        try {
            // The controllers elect a leader once a majority is up: the nodes start together.
            List<CompletableFuture<LocalKafka>> starting = new ArrayList<>();
            for (int id = 1; id <= 3; id++) {
                int node = id;
                starting.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return LocalKafka.startNode(data.resolve("node-" + node), nodes, node);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (CompletableFuture<LocalKafka> f : starting) {
                running.add(f.get(120, TimeUnit.SECONDS));
            }
            MeshTopics.create(nodes.bootstrapServers(), List.of(MeshTopic.JOBS));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, nodes.bootstrapServers()))) {
                TopicDescription jobs = admin.describeTopics(List.of(MeshTopic.JOBS.name())).allTopicNames().get(30, TimeUnit.SECONDS).get(MeshTopic.JOBS.name());
                assertTrue(jobs.partitions().stream().allMatch(p -> p.replicas().size() == 3), jobs.toString());
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, MeshTopic.JOBS.name());
                assertEquals("2", admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic).get("min.insync.replicas").value());
            }
            Set<String> acknowledged = new HashSet<>();
            try (KafkaProducer<String, byte[]> producer = MeshClients.producer(nodes.bootstrapServers(), "cluster-it", Duration.ofSeconds(30))) {
                acknowledged.addAll(send(producer, 0, 300));
                // The first node goes while records are in flight: the partitions it led move to the others.
                List<Future<RecordMetadata>> inFlight = new ArrayList<>();
                for (int i = 300; i < 600; i++) {
                    inFlight.add(producer.send(new ProducerRecord<>(MeshTopic.JOBS.name(), "job-" + i, ("job-" + i).getBytes(StandardCharsets.UTF_8))));
                    if (i == 320) {
                        running.remove(0).close();
                    }
                }
                for (int i = 0; i < inFlight.size(); i++) {
                    inFlight.get(i).get(60, TimeUnit.SECONDS);
                    acknowledged.add("job-" + (300 + i));
                }
            }
            Set<String> read = new HashSet<>();
            try (KafkaConsumer<String, byte[]> consumer = MeshClients.reader(io.un0.kafka.KafkaAccess.plain(nodes.bootstrapServers()), "cluster-it-reader")) {
                List<TopicPartition> partitions = MeshTopics.partitions(consumer, MeshTopic.JOBS, Duration.ofSeconds(30));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (read.size() < acknowledged.size() && System.nanoTime() < until) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        read.add(r.key());
                    }
                }
            }
            assertEquals(600, acknowledged.size(), "every record was acknowledged, the node lost or not");
            assertEquals(acknowledged, read, "every acknowledged record is there on the two nodes left");
        } finally {
            // Together: each node hands its partitions over as it stops, which needs the others' controllers still up.
            CompletableFuture.allOf(running.stream().map(k -> CompletableFuture.runAsync(k::close)).toArray(CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
        }
    }

    private static List<String> send(KafkaProducer<String, byte[]> producer, int from, int to) throws Exception {
        List<String> keys = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = from; i < to; i++) {
            sent.add(producer.send(new ProducerRecord<>(MeshTopic.JOBS.name(), "job-" + i, ("job-" + i).getBytes(StandardCharsets.UTF_8))));
            keys.add("job-" + i);
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(30, TimeUnit.SECONDS);
        }
        return keys;
    }
}

package io.un0.kafka;

import io.un0.proto.MeshTopic;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the catalogue's topics with their partitions, retention and compaction, as every service does at start,
 * and finds their partitions for readers that assign them by hand.
 */
public final class MeshTopics {

    private MeshTopics() {
    }

    /**
     * Topics that exist already are left as they are (another service created them first).
     *
     * @throws IllegalStateException naming the broker when it cannot be reached within 30 s
     */
    public static void create(KafkaAccess kafka, Collection<MeshTopic> topics) {
        String bootstrapServers = kafka.bootstrapServers();
        try (Admin admin = MeshClients.admin(kafka)) {
            Replication replication = Replication.forBrokers(brokers(admin, bootstrapServers));
            for (MeshTopic t : topics) {
                NewTopic topic = new NewTopic(t.name(), t.partitions(), (short) replication.replicas()).configs(Map.of(
                        "cleanup.policy", t.compacted() ? "compact" : "delete",
                        "retention.ms", Long.toString(t.retention().toMillis()),
                        "retention.bytes", Long.toString(t.retentionBytes()),
                        "min.insync.replicas", Integer.toString(replication.minInSync())));
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + t.name() + " on " + bootstrapServers + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within 30 s", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * How many copies of each record a cluster of some brokers keeps: three where there are three brokers or more, so
     * that one may be lost, with all but one in sync before a write (acks=all) is acknowledged; else one per broker.
     */
    public record Replication(int replicas, int minInSync) {

        public static Replication forBrokers(int brokers) {
            if (brokers < 1) {
                throw new IllegalArgumentException("a cluster of " + brokers + " brokers");
            }
            int replicas = Math.min(3, brokers);
            return new Replication(replicas, replicas >= 3 ? replicas - 1 : 1);
        }
    }

    private static int brokers(Admin admin, String bootstrapServers) throws InterruptedException {
        try {
            return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not describe its cluster within 30 s: " + e.getMessage(), e);
        }
    }

    /** For a broker that takes plain text: see {@link KafkaAccess#plain}. */
    public static void create(String bootstrapServers, Collection<MeshTopic> topics) {
        create(KafkaAccess.plain(bootstrapServers), topics);
    }

    /**
     * Every partition of a topic, for a reader outside any group. Right after a topic is created the client's
     * metadata may list none or only some of them: waits (up to {@code within}) until it lists as many as the
     * catalogue says, then takes what there is (a topic created earlier with other settings keeps its own count).
     *
     * @throws IllegalStateException when the topic has no partition at all by then
     */
    public static List<TopicPartition> partitions(Consumer<?, ?> consumer, MeshTopic topic, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        List<TopicPartition> found = List.of();
        while (true) {
            found = consumer.partitionsFor(topic.name()).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (found.size() >= topic.partitions() || System.nanoTime() > until) {
                break;
            }
            Thread.sleep(100);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("topic " + topic.name() + " has no partitions after " + within.toSeconds() + " s");
        }
        return found;
    }
}

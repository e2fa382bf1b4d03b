package io.un0.scheduler.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.MeshClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import static org.junit.jupiter.api.Assertions.fail;

/** Reads mesh topics from their beginning, outside any group, and waits for the records a test expects. */
public final class MeshTap implements AutoCloseable {

    /** A record and its parsed value. */
    public record Seen<T>(ConsumerRecord<String, byte[]> record, T message) {

        public String header(String key) {
            Header h = record.headers().lastHeader(key);
            return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    /** The topics must exist already: asking a broker about a missing topic may create it with one partition. */
    public MeshTap(String bootstrapServers, String... topics) {
        consumer = MeshClients.reader(KafkaAccess.plain(bootstrapServers), "tap");
        List<TopicPartition> partitions = Stream.of(topics).flatMap(t -> partitions(t).stream()).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** A topic created a moment ago can still be missing from the metadata the client gets. */
    private List<TopicPartition> partitions(String topic) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<TopicPartition> partitions = List.of();
        while (partitions.isEmpty() && System.nanoTime() < until) {
            partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        }
        return partitions.isEmpty() ? fail(topic + " has no partitions") : partitions;
    }

    /** The first record of the topic whose value parses and matches, polling until it comes or failing after 20 s. */
    public <T extends Message> Seen<T> await(String topic, Parser<T> parser, Predicate<T> match) {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            for (Seen<T> s : all(topic, parser)) {
                if (match.test(s.message())) {
                    return s;
                }
            }
            if (System.nanoTime() > until) {
                return fail("nothing on " + topic + " matched within 20 s; there: " + all(topic, parser).stream().map(Seen::message).toList());
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
    }

    /** Reads on for a while, to see what else comes: a duplicate, say, that must not. */
    public void drain(Duration time) {
        long until = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < until) {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
    }

    /** Waits for a tombstone (a record with no value) of this key, failing after 20 s. */
    public void awaitTombstone(String topic, String key) {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (seen.stream().noneMatch(r -> r.topic().equals(topic) && key.equals(r.key()) && r.value() == null)) {
            if (System.nanoTime() > until) {
                fail("no tombstone for " + key + " on " + topic + " within 20 s");
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
    }

    /** Every record of the topic seen so far whose value parses; tombstones are not messages. */
    public <T extends Message> List<Seen<T>> all(String topic, Parser<T> parser) {
        List<Seen<T>> parsed = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : seen) {
            if (r.topic().equals(topic) && r.value() != null) {
                try {
                    parsed.add(new Seen<>(r, parser.parseFrom(r.value())));
                } catch (InvalidProtocolBufferException e) {
                    // Junk a test wrote on purpose: not what anyone awaits.
                }
            }
        }
        return parsed;
    }

    @Override
    public void close() {
        consumer.close();
    }
}

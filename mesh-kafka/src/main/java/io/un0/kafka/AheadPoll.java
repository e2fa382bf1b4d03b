package io.un0.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The poll that lets urgent work overtake a backlog: with the backlog's topic paused, whatever the consumer's last
 * fetches brought for its other topics, without waiting (nothing when they hold none). The scheduler reads callers'
 * jobs ahead of batch jobs this way, and a worker its interactive lane ahead of its queued one.
 */
public final class AheadPoll {

    private AheadPoll() {
    }

    public static <K, V> List<ConsumerRecord<K, V>> of(Consumer<K, V> consumer, String backlogTopic) {
        consumer.pause(consumer.assignment().stream().filter(p -> p.topic().equals(backlogTopic)).toList());
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try {
            consumer.poll(Duration.ZERO).forEach(records::add);
        } finally {
            // What is paused now: a rebalance inside the poll may have taken some of the partitions paused before it.
            consumer.resume(consumer.paused());
        }
        return records;
    }
}

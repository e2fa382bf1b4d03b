package io.un0.scheduler.loop;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where each job partition's committed offset goes with the pass's transaction: past every record the loop has taken.
 * A job still held does not hold it back, for the deferred topic keeps held jobs. Only the loop thread uses it.
 */
final class CommitPoints {

    /** Per partition, the offset after the last record taken. */
    private final Map<TopicPartition, Long> taken = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    void taken(TopicPartition partition, long offset) {
        taken.merge(partition, offset + 1, Math::max);
    }

    /** The commit points that moved since the last commit. */
    Map<TopicPartition, OffsetAndMetadata> due() {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        taken.forEach((partition, next) -> {
            if (!next.equals(committed.get(partition))) {
                due.put(partition, new OffsetAndMetadata(next));
            }
        });
        return due;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
    }

    /** Partitions given to another member of the group, or read again from their committed offsets after an abort. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> {
            taken.remove(p);
            committed.remove(p);
        });
    }
}

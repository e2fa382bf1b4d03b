package io.un0.scheduler.loop;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where each job partition's committed offset may go: past every record the loop has taken, but never past a job
 * it still holds, so that a restart redelivers the held jobs (and, harmlessly, the routed ones after them).
 * Only the loop thread uses it.
 */
final class CommitPoints {

    /** Per partition, the offset after the last record taken. */
    private final Map<TopicPartition, Long> taken = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    void taken(TopicPartition partition, long offset) {
        taken.merge(partition, offset + 1, Math::max);
    }

    /**
     * The commit points that moved since the last commit. Ask only once every output written so far is acknowledged.
     *
     * @param lowestHeld per partition, the offset of the earliest job still held
     */
    Map<TopicPartition, OffsetAndMetadata> due(Map<TopicPartition, Long> lowestHeld) {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        taken.forEach((partition, next) -> {
            long point = Math.min(next, lowestHeld.getOrDefault(partition, next));
            if (!Long.valueOf(point).equals(committed.get(partition))) {
                due.put(partition, new OffsetAndMetadata(point));
            }
        });
        return due;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
    }

    /** Partitions given to another member of the group: their records are its business now. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> {
            taken.remove(p);
            committed.remove(p);
        });
    }
}

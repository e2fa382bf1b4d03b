package io.un0.scheduler.loop;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CommitPointsTest {

    private static final TopicPartition P0 = new TopicPartition("un0.jobs.v1", 0);
    private static final TopicPartition P1 = new TopicPartition("un0.jobs.v1", 1);

    @Test
    void commitsPastEveryTakenRecordOnlyWhereItMoved() {
        CommitPoints points = new CommitPoints();
        for (long offset = 0; offset < 5; offset++) {
            points.taken(P0, offset);
        }
        points.taken(P1, 7);
        Map<TopicPartition, OffsetAndMetadata> due = points.due();
        assertEquals(Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(8)), due);
        points.committed(due);

        assertEquals(Map.of(), points.due(), "nothing moved, nothing to commit");
        points.taken(P0, 5);
        assertEquals(Map.of(P0, new OffsetAndMetadata(6)), points.due());
    }

    @Test
    void forgetsPartitionsThatMovedToAnotherScheduler() {
        CommitPoints points = new CommitPoints();
        points.taken(P0, 3);
        points.taken(P1, 3);
        points.forget(List.of(P0));
        assertEquals(Map.of(P1, new OffsetAndMetadata(4)), points.due());
    }
}

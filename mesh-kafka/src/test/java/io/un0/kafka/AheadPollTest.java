package io.un0.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AheadPollTest {

    private static final TopicPartition BACKLOG = new TopicPartition("backlog", 0);
    private static final TopicPartition URGENT = new TopicPartition("urgent", 0);

    @Test
    void takesTheOtherTopicsAloneAndLeavesNothingPaused() {
        MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        consumer.assign(List.of(BACKLOG, URGENT));
        consumer.updateBeginningOffsets(Map.of(BACKLOG, 0L, URGENT, 0L));
        consumer.addRecord(new ConsumerRecord<>("backlog", 0, 0, "b", "queued"));
        consumer.addRecord(new ConsumerRecord<>("urgent", 0, 0, "u", "caller"));

        List<ConsumerRecord<String, String>> ahead = AheadPoll.of(consumer, "backlog");

        assertEquals(List.of("caller"), ahead.stream().map(ConsumerRecord::value).toList());
        assertTrue(consumer.paused().isEmpty(), "the backlog is read again from the next poll");
        assertEquals(List.of("queued"), consumer.poll(Duration.ZERO).records(BACKLOG).stream().map(ConsumerRecord::value).toList());
    }
}

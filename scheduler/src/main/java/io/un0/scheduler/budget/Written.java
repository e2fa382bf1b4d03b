package io.un0.scheduler.budget;

import org.apache.kafka.common.TopicPartition;

/** Where a budget record landed, once Kafka acknowledged it: the book has read it once its position is past it. */
public record Written(TopicPartition partition, long offset) {
}

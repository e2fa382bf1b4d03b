package io.un0.gateway.kafka;

/** Where a record is on a topic the reader names: its partition and offset. */
public record RecordPlace(int partition, long offset) {
}

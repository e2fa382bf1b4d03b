package io.un0.kafka;

import com.google.protobuf.ByteString;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;

/**
 * Puts a record no service could read on the dead-letter topic, with the reason and everything it came with (key,
 * bytes, headers, where it was), so that nothing is dropped and someone can replay it once mended.
 */
public final class DeadLetters {

    private static final System.Logger LOG = System.getLogger(DeadLetters.class.getName());

    private final Producer<String, byte[]> producer;
    private final String service;

    /** @param service who gave up on the record, as the dead letter names it ("scheduler", "worker w1") */
    public DeadLetters(Producer<String, byte[]> producer, String service) {
        this.producer = producer;
        this.service = service;
    }

    /** @param reason what was wrong, naming the field where one is to blame */
    public Future<RecordMetadata> send(ConsumerRecord<String, byte[]> r, String reason) {
        LOG.log(System.Logger.Level.WARNING, "dead letter from {0}-{1}@{2}: {3}", r.topic(), r.partition(), r.offset(), reason);
        DeadLetter.Builder d = DeadLetter.newBuilder().setTopic(r.topic()).setPartition(r.partition()).setOffset(r.offset())
                .setReason(reason).setService(service).setFailed(ProtoTime.now());
        if (r.key() != null) {
            d.setKey(ByteString.copyFrom(r.key(), StandardCharsets.UTF_8));
        }
        if (r.value() != null) {
            d.setValue(ByteString.copyFrom(r.value()));
        }
        for (Header h : r.headers()) {
            d.putHeaders(h.key(), h.value() == null ? ByteString.EMPTY : ByteString.copyFrom(h.value()));
        }
        return producer.send(new ProducerRecord<>(MeshTopic.DEAD_LETTERS.name(), r.key(), d.build().toByteArray()));
    }
}

package io.un0.kafka;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
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

    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("un0.service");

    private final Producer<String, byte[]> producer;
    private final String service;
    /** The service's role alone ("worker", not "worker w1"): a label with few values. */
    private final String role;

    /** @param service who gave up on the record, as the dead letter names it ("scheduler", "worker w1") */
    public DeadLetters(Producer<String, byte[]> producer, String service) {
        this.producer = producer;
        this.service = service;
        this.role = service.split(" ", 2)[0];
    }

    /** @param reason what was wrong, naming the field where one is to blame */
    public Future<RecordMetadata> send(ConsumerRecord<String, byte[]> r, String reason) {
        LOG.log(System.Logger.Level.WARNING, "dead letter from {0}-{1}@{2}: {3}", r.topic(), r.partition(), r.offset(), reason);
        // Looked up per dead letter (they are rare): the service's SDK is the global one once it has started.
        GlobalOpenTelemetry.getMeter("io.un0.kafka").counterBuilder("un0.dead_letters").setUnit("{record}")
                .setDescription("Records put on the dead-letter topic, by the topic they came from and the service that gave up")
                .build().add(1, Attributes.of(DESTINATION, r.topic(), SERVICE, role));
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

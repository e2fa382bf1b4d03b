package io.un0.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The producer of a read-write loop (the scheduler's passes, the gateway's batch expansion): each turn of the loop is
 * one transaction, what it wrote and the offsets of what it read committed together. A transaction that fails is
 * abandoned and the loop reads again from the last commit. One that outlived its timeout (a stalled broker, a slow
 * pass) was aborted by the broker, which fences its producer off: the producer is then made again under the same id,
 * once between commits, for a second fencing in a row means another instance runs under that id. A producer that a
 * broker's loss left in an error state it cannot abort from (an {@code InvalidTxnStateException} once the transaction
 * coordinator moved, or a sequence the partition's new leader never saw, both seen when a node was killed under a batch)
 * is made again too: what its transaction wrote is aborted with it, and the loop writes it again. One thread only.
 */
public final class TransactionalProducer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TransactionalProducer.class.getName());

    private final String transactionalId;
    /** Makes the producer, ready for its first transaction: at start, and again after the broker fenced it off. */
    private final Supplier<KafkaProducer<String, byte[]>> made;
    private KafkaProducer<String, byte[]> producer;
    private boolean fencedSinceCommit;

    /** See {@link MeshClients#transactionalProducer} for the arguments. */
    public TransactionalProducer(KafkaAccess kafka, String clientId, String transactionalId, Duration sendTimeout, Duration transactionTimeout) {
        this.transactionalId = transactionalId;
        this.made = () -> MeshClients.transactionalProducer(kafka, clientId, transactionalId, sendTimeout, transactionTimeout);
        this.producer = made.get();
    }

    public void begin() {
        producer.beginTransaction();
    }

    /** Within the open transaction. */
    public void send(ProducerRecord<String, byte[]> record) {
        producer.send(record);
    }

    /** Dead letters written within the open transaction. */
    public DeadLetters deadLetters(String service) {
        return new DeadLetters(producer, service);
    }

    /** Commits what was sent and these offsets, read by the consumer of {@code group}; throws if it could not. */
    public void commit(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(offsets, group);
        }
        producer.commitTransaction();
        fencedSinceCommit = false;
    }

    /** Aborts a transaction that nothing was sent in. */
    public void abortEmpty() {
        producer.abortTransaction();
    }

    /**
     * Ends the open transaction after {@code failure}, so that none of it is seen: aborted, or, when the broker fenced
     * the producer off, dropped with the producer, which is made again. A broker that does not answer in time is asked
     * again for as long as {@code running} holds, for the loop can do nothing else meanwhile.
     *
     * @throws KafkaException {@code failure} itself, when nothing this producer writes can count any more (another
     *                        instance under its id, a broker that refuses it)
     */
    public void abandon(KafkaException failure, BooleanSupplier running) {
        if (fenced(failure) && !fencedSinceCommit) {
            LOG.log(System.Logger.Level.WARNING, "transactional producer {0} fenced off ({1}); made again", transactionalId, failure.getMessage());
            fencedSinceCommit = true;
            remake(running);
            return;
        }
        if (fenced(failure) || failure instanceof AuthorizationException || failure instanceof UnsupportedVersionException) {
            throw failure;
        }
        while (true) {
            try {
                producer.abortTransaction();
                return;
            } catch (TimeoutException e) {
                if (!running.getAsBoolean()) {
                    throw e;
                }
            } catch (KafkaException e) {
                LOG.log(System.Logger.Level.WARNING, "transactional producer {0} cannot abort ({1}, after {2}); made again",
                        transactionalId, e.getMessage(), failure.toString());
                remake(running);
                return;
            }
        }
    }

    /**
     * A new producer under the same id in place of one in an error state: its initialisation aborts whatever the old one
     * left open. A coordinator that does not answer in time is asked again for as long as {@code running} holds.
     */
    private void remake(BooleanSupplier running) {
        producer.close(Duration.ZERO);
        while (true) {
            try {
                producer = made.get();
                return;
            } catch (TimeoutException e) {
                if (!running.getAsBoolean()) {
                    throw e;
                }
            }
        }
    }

    /**
     * After an abandoned transaction: every partition {@code consumer} holds back to its last commit (the beginning,
     * where none was), so that what the transaction read is read again.
     */
    public static void rewind(Consumer<?, ?> consumer) {
        Set<TopicPartition> held = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(held);
        for (TopicPartition p : held) {
            OffsetAndMetadata at = committed.get(p);
            if (at == null) {
                consumer.seekToBeginning(List.of(p));
            } else {
                consumer.seek(p, at.offset());
            }
        }
    }

    private static boolean fenced(KafkaException e) {
        return e instanceof ProducerFencedException || e.getCause() instanceof ProducerFencedException;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

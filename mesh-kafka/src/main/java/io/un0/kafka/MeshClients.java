package io.un0.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka clients as the mesh uses them: string keys, protobuf bytes as values, acks from all replicas with
 * idempotence, and offsets committed by hand only after the work they stand for is done (by services that read and
 * write, in the same transaction as what they wrote). Every consumer reads committed records only, so what an
 * aborted transaction wrote is never seen.
 */
public final class MeshClients {

    private MeshClients() {
    }

    /**
     * @param sendTimeout how long a send may wait for the broker before it fails; callers turn that into
     *                    "unavailable, retry" rather than hang
     */
    public static KafkaProducer<String, byte[]> producer(KafkaAccess kafka, String clientId, Duration sendTimeout) {
        return new KafkaProducer<>(producerConfig(kafka, clientId, sendTimeout), new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A producer whose records and consumed offsets are committed together or not at all, ready for its first
     * transaction (a previous instance's open transaction under the same id is aborted first).
     *
     * @param transactionalId stable across restarts of the same instance, unique among running ones: a restart fences
     *                        off what its predecessor left open at once, rather than after the transaction timeout
     * @param transactionTimeout how long the broker lets a transaction stay open before aborting it: readers of the
     *                        partitions it wrote to wait behind it until then when its writer dies
     */
    public static KafkaProducer<String, byte[]> transactionalProducer(KafkaAccess kafka, String clientId, String transactionalId,
                                                                      Duration sendTimeout, Duration transactionTimeout) {
        Map<String, Object> config = producerConfig(kafka, clientId, sendTimeout);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(transactionTimeout.toMillis()));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return producer;
    }

    private static Map<String, Object> producerConfig(KafkaAccess kafka, String clientId, Duration sendTimeout) {
        long timeout = sendTimeout.toMillis();
        Map<String, Object> config = kafka.clientConfig();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // No lingering: at low load a record leaves at once; under load records batch up behind those in flight.
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
        // The delivery timeout must cover linger plus the request timeout, or the client refuses the configuration.
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1000, timeout / 2)));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1000, timeout / 2) + 1 + timeout));
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 << 20));
        return config;
    }

    /** A member of a consumer group: each record goes to one member of the group. */
    public static KafkaConsumer<String, byte[]> groupMember(KafkaAccess kafka, String group, String clientId, int maxPollRecords) {
        Map<String, Object> config = common(kafka, clientId, maxPollRecords);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        // A member that dies (a killed worker) hands its partitions on within 10 s rather than the default 45 s.
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** A consumer outside any group, for topics that every instance reads whole (it assigns partitions itself). */
    public static KafkaConsumer<String, byte[]> reader(KafkaAccess kafka, String clientId) {
        return new KafkaConsumer<>(common(kafka, clientId, 500), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A reader outside any group, for a view nobody waits on record by record (a console's last hour): each fetch
     * waits for {@link #GATHERED_BYTES} or {@code gatherFor}, whichever comes first. At load a reader that fetches as
     * soon as one record is there sends a fetch per handful of records, and the fetches cost it more than the records
     * do (the scheduler's console feed spent four fifths of its time in them under a batch).
     */
    public static KafkaConsumer<String, byte[]> gatheringReader(KafkaAccess kafka, String clientId, Duration gatherFor) {
        Map<String, Object> config = common(kafka, clientId, 500);
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(GATHERED_BYTES));
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(gatherFor.toMillis()));
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** What a {@link #gatheringReader}'s fetch waits for at most: some fifty accounting records or decisions. */
    static final int GATHERED_BYTES = 64 * 1024;

    /** An admin client; requests wait up to 30 s for the broker. */
    public static Admin admin(KafkaAccess kafka) {
        Map<String, Object> config = kafka.clientConfig();
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return Admin.create(config);
    }

    /** For a broker that takes plain text (tests and tools on this machine): see {@link KafkaAccess#plain}. */
    public static KafkaProducer<String, byte[]> producer(String bootstrapServers, String clientId, Duration sendTimeout) {
        return producer(KafkaAccess.plain(bootstrapServers), clientId, sendTimeout);
    }

    /** For a broker that takes plain text: see {@link KafkaAccess#plain}. */
    public static KafkaConsumer<String, byte[]> groupMember(String bootstrapServers, String group, String clientId, int maxPollRecords) {
        return groupMember(KafkaAccess.plain(bootstrapServers), group, clientId, maxPollRecords);
    }

    private static Map<String, Object> common(KafkaAccess kafka, String clientId, int maxPollRecords) {
        Map<String, Object> config = kafka.clientConfig();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Asking about a topic no service has made yet must not make it with the broker's default partitions: the
        // services make every topic with its own settings (MeshTopics.create), and readers wait for that.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return config;
    }
}

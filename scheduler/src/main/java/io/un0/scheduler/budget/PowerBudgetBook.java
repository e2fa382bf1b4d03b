package io.un0.scheduler.budget;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.un0.kafka.ConsumerThreads;
import io.un0.kafka.DeadLetters;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.KafkaConfig;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import io.un0.proto.Violation;
import io.un0.proto.v1.BudgetScope;
import io.un0.proto.v1.PowerBudget;
import io.un0.routing.PowerBudgets;
import io.un0.scheduler.SchedulerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The operators' power caps, as the compacted budgets topic holds them: read from its beginning and kept up to date
 * on a thread of its own (outside any group, so every scheduler instance holds every cap), and written there, so
 * that a cap outlives any scheduler and every instance applies the same ones.
 */
@ApplicationScoped
public class PowerBudgetBook implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PowerBudgetBook.class.getName());

    private final KafkaAccess kafka;
    private final Duration timeout;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final DeadLetters deadLetters;
    private final Thread reader;
    /** Guards {@link #readUpTo}; notified after every poll, so writers waiting for their record wake up. */
    private final Object progress = new Object();
    private final Map<TopicPartition, Long> readUpTo = new HashMap<>();
    /** Opens once the topic exists as the catalogue says: a write before that could auto-create it uncompacted. */
    private final CountDownLatch topicMade = new CountDownLatch(1);
    private volatile BudgetTable table = BudgetTable.EMPTY;
    private volatile PowerBudgets current = PowerBudgets.NONE;
    private volatile boolean ready;
    private volatile boolean running = true;
    private volatile Throwable failure;

    @Inject
    PowerBudgetBook(KafkaConfig kafkaConfig, SchedulerConfig scheduler, BudgetConfig config) {
        this(kafkaConfig.access(), scheduler.instance(), config.timeout());
    }

    /**
     * @param instance names its Kafka clients and its dead letters
     * @param timeout  how long a write waits for Kafka, and then for this book to read it back
     */
    public PowerBudgetBook(KafkaAccess kafka, String instance, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
        this.consumer = MeshClients.reader(kafka, instance + "-budgets");
        this.producer = MeshClients.producer(kafka, instance + "-budgets-out", timeout);
        this.deadLetters = new DeadLetters(producer, "scheduler " + instance);
        this.reader = new Thread(this::read, instance + "-budgets");
    }

    void onStart(@Observes StartupEvent e) {
        start();
    }

    void onStop(@Observes ShutdownEvent e) {
        close();
    }

    /** Starts reading the topic from its beginning. */
    public void start() {
        reader.start();
    }

    /** The caps in force, as routing applies them. */
    public PowerBudgets current() {
        return current;
    }

    /** Every cap in force with who set it and why, sites first. */
    public List<PowerBudget> list() {
        return table.list();
    }

    /** Whether the topic has been read to where it ended at start: before that, caps set earlier may be missing. */
    public boolean ready() {
        return ready;
    }

    /** Why the reader stopped, if it did: caps no longer change until the process restarts. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Writes a cap, replacing the one under the same scope and name; returns once Kafka has acknowledged it.
     *
     * @throws InvalidBudgetException     naming each field to blame
     * @throws BudgetUnavailableException when Kafka does not acknowledge within the timeout
     */
    public Written set(PowerBudget budget) {
        List<Violation> wrong = BudgetRules.budget(budget);
        if (!wrong.isEmpty()) {
            throw new InvalidBudgetException(wrong);
        }
        return write(BudgetKey.of(budget), budget.toByteArray());
    }

    /** Removes a cap (a tombstone); removing one that is not there writes a tombstone all the same. */
    public Written clear(BudgetScope scope, String name) {
        return write(new BudgetKey(scope, name), null);
    }

    /**
     * Waits until this book has read the record, so that {@link #current()} holds it.
     *
     * @throws BudgetUnavailableException when it has not within the timeout, or the reader stopped
     */
    public void awaitRead(Written w) {
        long until = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (readUpTo.getOrDefault(w.partition(), -1L) <= w.offset()) {
                long left = until - System.nanoTime();
                if (left <= 0 || !running || failure != null) {
                    throw new BudgetUnavailableException("budget written at " + w.partition() + "@" + w.offset()
                            + " but not read back within " + timeout.toMillis() + " ms"
                            + failure().map(f -> " (the budget reader stopped: " + f.getMessage() + ")").orElse(""), failure);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BudgetUnavailableException("interrupted while waiting for budget " + w.partition() + "@" + w.offset(), e);
                }
            }
        }
    }

    private Written write(BudgetKey key, byte[] value) {
        try {
            if (!topicMade.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BudgetUnavailableException("topic " + MeshTopic.POWER_BUDGETS.name() + " not made within "
                        + timeout.toMillis() + " ms" + failure().map(f -> ": " + f.getMessage()).orElse(""), failure);
            }
            RecordMetadata m = producer.send(new ProducerRecord<>(MeshTopic.POWER_BUDGETS.name(), key.toString(), value))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Written(new TopicPartition(m.topic(), m.partition()), m.offset());
        } catch (ExecutionException e) {
            throw new BudgetUnavailableException("Kafka at " + kafka.bootstrapServers() + " did not take budget " + key + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException | KafkaException e) {
            // It may still arrive: writing the same cap again is harmless.
            throw new BudgetUnavailableException("Kafka at " + kafka.bootstrapServers() + " did not acknowledge budget " + key
                    + " within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BudgetUnavailableException("interrupted while writing budget " + key, e);
        }
    }

    /**
     * Outside any group and committing nothing: a restart reads the whole compacted topic again, and dead-letters an
     * unreadable record still on it again.
     */
    private void read() {
        try {
            ConsumerThreads.guarded(() -> running, () -> {
                MeshTopics.create(kafka, List.of(MeshTopic.POWER_BUDGETS));
                topicMade.countDown();
                List<TopicPartition> partitions = MeshTopics.partitions(consumer, MeshTopic.POWER_BUDGETS, Duration.ofSeconds(30));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions);
                while (running) {
                    BudgetTable next = table;
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        try {
                            next = next.apply(r.key(), r.value());
                        } catch (UnreadableBudgetException e) {
                            deadLetters.send(r, e.getMessage());
                        }
                    }
                    if (next != table) {
                        table = next;
                        current = next.powerBudgets();
                    }
                    Map<TopicPartition, Long> positions = new HashMap<>();
                    partitions.forEach(p -> positions.put(p, consumer.position(p)));
                    synchronized (progress) {
                        readUpTo.putAll(positions);
                        progress.notifyAll();
                    }
                    if (!ready && partitions.stream().allMatch(p -> positions.get(p) >= endAtStart.get(p))) {
                        ready = true;
                        LOG.log(System.Logger.Level.INFO, "power budgets read: {0}", next.byKey().isEmpty() ? "no cap"
                                : next.list().stream().map(b -> BudgetKey.of(b) + " " + b.getWatts() + " W").toList());
                    }
                }
            }, this::fail);
        } finally {
            consumer.close();
        }
    }

    private void fail(Throwable e) {
        failure = e;
        LOG.log(System.Logger.Level.ERROR, "power budget reader stopped; caps no longer change until a restart", e);
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** Stops the reader and the producer; a write waiting for its read-back fails at once. */
    @Override
    public void close() {
        running = false;
        synchronized (progress) {
            progress.notifyAll();
        }
        if (reader.getState() == Thread.State.NEW) {
            consumer.close();
        } else if (reader.isAlive()) {
            // Only while it runs: a reader that stopped on its own has closed the consumer already.
            consumer.wakeup();
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
    }
}

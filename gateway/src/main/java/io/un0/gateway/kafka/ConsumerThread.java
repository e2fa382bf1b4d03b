package io.un0.gateway.kafka;

import io.un0.kafka.ConsumerThreads;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.util.Optional;

/**
 * A gateway task that reads Kafka on its own daemon thread from start-up to shutdown; stopping wakes its consumer
 * out of a poll and waits for the task to finish what it holds. A thread that stops on anything but a stop keeps its
 * failure, which the gateway's liveness check reports: it does not restart itself.
 */
public abstract class ConsumerThread {

    private static final System.Logger LOG = System.getLogger(ConsumerThread.class.getName());

    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile String name = "";
    private Thread thread;

    /** Reads until {@link #running()} turns false; a wake-up while stopping ends it quietly. */
    protected abstract void consume() throws InterruptedException;

    protected final void startThread(String name) {
        this.name = name;
        thread = new Thread(() -> ConsumerThreads.guarded(this::running, this::consume, this::fail), name);
        thread.setDaemon(true);
        thread.start();
    }

    protected final void stopThread() throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        thread.join(5_000);
    }

    protected final boolean running() {
        return running;
    }

    /** The consumer that stopping must wake. */
    protected final KafkaConsumer<String, byte[]> wakeable(KafkaConsumer<String, byte[]> c) {
        consumer = c;
        return c;
    }

    /** The thread's name, as it was started. */
    public final String name() {
        return name;
    }

    /** What stopped the thread when it was not told to stop, if anything did. */
    public final Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    private void fail(Throwable e) {
        failure = e;
        LOG.log(System.Logger.Level.ERROR, "gateway reader " + name + " stopped", e);
    }
}

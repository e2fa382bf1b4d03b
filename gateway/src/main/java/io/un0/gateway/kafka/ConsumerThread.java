package io.un0.gateway.kafka;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A gateway task that reads Kafka on its own daemon thread from start-up to shutdown; stopping wakes its consumer
 * out of a poll and waits for the task to finish what it holds.
 */
public abstract class ConsumerThread {

    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private Thread thread;

    /** Reads until {@link #running()} turns false; a wake-up while stopping ends it quietly. */
    protected abstract void consume() throws InterruptedException;

    protected final void startThread(String name) {
        thread = new Thread(() -> {
            try {
                consume();
            } catch (WakeupException e) {
                if (running) {
                    throw e;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
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
}

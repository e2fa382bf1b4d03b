package io.un0.kafka;

import org.apache.kafka.common.errors.WakeupException;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** How a service's Kafka reading thread ends: a wake-up while stopping ends it quietly; anything else is its failure. */
public final class ConsumerThreads {

    private ConsumerThreads() {
    }

    /** A thread's work; it may be interrupted while it waits. */
    public interface Body {
        void run() throws InterruptedException;
    }

    /**
     * Runs {@code body}, handing {@code fail} what stopped it: an interruption (the flag set again), a wake-up that
     * came while {@code running} still said yes, or any runtime exception.
     */
    public static void guarded(BooleanSupplier running, Body body, Consumer<Throwable> fail) {
        try {
            body.run();
        } catch (WakeupException e) {
            if (running.getAsBoolean()) {
                fail.accept(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail.accept(e);
        } catch (RuntimeException e) {
            fail.accept(e);
        }
    }
}

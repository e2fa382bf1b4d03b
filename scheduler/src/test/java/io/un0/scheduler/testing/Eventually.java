package io.un0.scheduler.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits for what another thread or process does. */
public final class Eventually {

    private Eventually() {
    }

    /** Polls every 10 ms until the condition holds, failing with the message after the limit. */
    public static void within(Duration limit, BooleanSupplier condition, Supplier<String> message) {
        long until = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                fail(message.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}

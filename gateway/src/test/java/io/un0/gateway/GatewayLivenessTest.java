package io.un0.gateway;

import io.un0.gateway.kafka.ConsumerThread;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayLivenessTest {

    /** Reads until stopped, or fails at once with {@code failure}. */
    private static final class Reader extends ConsumerThread {

        private final RuntimeException failure;
        private final CountDownLatch started = new CountDownLatch(1);

        Reader(String name, RuntimeException failure) {
            this.failure = failure;
            startThread(name);
        }

        @Override
        protected void consume() throws InterruptedException {
            started.countDown();
            if (failure != null) {
                throw failure;
            }
            while (running()) {
                Thread.sleep(5);
            }
        }

        void stop() throws InterruptedException {
            stopThread();
        }
    }

    private static void awaitFailure(ConsumerThread reader) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(5));
        while (reader.failure().isEmpty() && Instant.now().isBefore(until)) {
            Thread.sleep(5);
        }
    }

    @Test
    void readersThatStopWhenToldLeaveTheGatewayLive() throws Exception {
        Reader results = new Reader("un0-result-reader", null);
        results.started.await();
        results.stop();
        assertTrue(results.failure().isEmpty());
        assertEquals(HealthCheckResponse.Status.UP, GatewayLiveness.of(List.of(results)).getStatus());
    }

    @Test
    void aReaderThatFailedIsNamedAndTakesTheGatewayDown() throws Exception {
        Reader results = new Reader("un0-result-reader", null);
        Reader batches = new Reader("un0-batch-expander", new IllegalStateException("the batch topic is gone"));
        awaitFailure(batches);
        HealthCheckResponse response = GatewayLiveness.of(List.of(results, batches));
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertEquals(Map.of("un0-batch-expander", "the batch topic is gone"), response.getData().orElseThrow());
        results.stop();
    }
}

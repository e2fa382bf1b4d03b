package io.un0.gateway.kafka;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.un0.gateway.GatewayConfig;
import io.un0.gateway.GatewayInstance;
import io.un0.kafka.KafkaConfig;
import io.un0.kafka.MeshClients;
import io.un0.kafka.TraceHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes the gateway's records (jobs, batch submissions) with the caller's trace context in their headers (unless they
 * carry one already), and
 * turns a broker that does not acknowledge in time into {@link MeshUnavailableException} so callers can be told
 * to retry instead of hanging.
 */
@ApplicationScoped
public class MeshPublisher {

    private final KafkaProducer<String, byte[]> producer;
    private final OpenTelemetry otel;
    private final Duration sendTimeout;

    public MeshPublisher(KafkaConfig kafkaConfig, GatewayConfig config, GatewayInstance instance, OpenTelemetry otel) {
        this.producer = MeshClients.producer(kafkaConfig.access(), "gateway-" + instance.id(), config.sendTimeout());
        this.otel = otel;
        this.sendTimeout = config.sendTimeout();
    }

    /**
     * Sends and waits for every acknowledgement; blocking, so call it off the event loop.
     *
     * @throws MeshUnavailableException when the broker did not take them all within the send timeout
     */
    public void sendAll(List<ProducerRecord<String, byte[]>> records) {
        long until = System.nanoTime() + sendTimeout.toNanos();
        try {
            List<Future<RecordMetadata>> acks = records.stream().map(r -> {
                // A record sent under a lease already names the span of that decision.
                if (!TraceHeaders.carryContext(r.headers())) {
                    TraceHeaders.inject(otel, Context.current(), r.headers());
                }
                return producer.send(r);
            }).toList();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new MeshUnavailableException("Kafka did not take the request: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new MeshUnavailableException("Kafka did not acknowledge within " + sendTimeout.toMillis() + " ms", e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new MeshUnavailableException("Kafka is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshUnavailableException("interrupted while writing to Kafka", e);
        }
    }

    void close(@Observes ShutdownEvent event) {
        producer.close(Duration.ofSeconds(2));
    }
}

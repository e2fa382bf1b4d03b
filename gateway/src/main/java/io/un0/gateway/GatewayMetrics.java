package io.un0.gateway;

import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.un0.gateway.results.PendingReplies;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

/** Requests by method and outcome, their latency, and the calls waiting for results, as OpenTelemetry metrics. */
@ApplicationScoped
public class GatewayMetrics {

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("rpc.method");
    private static final AttributeKey<String> CODE = AttributeKey.stringKey("rpc.grpc.status_code");

    private final LongCounter requests;
    private final DoubleHistogram latency;

    public GatewayMetrics(OpenTelemetry otel, PendingReplies pending) {
        Meter meter = otel.getMeter("io.un0.gateway");
        requests = meter.counterBuilder("un0.gateway.requests").setDescription("Calls by method and status").setUnit("{call}").build();
        latency = meter.histogramBuilder("un0.gateway.request.duration").setDescription("From acceptance to answer").setUnit("s").build();
        meter.gaugeBuilder("un0.gateway.pending").ofLongs().setDescription("Jobs whose caller waits for the result")
                .setUnit("{job}").buildWithCallback(g -> g.record(pending.size()));
    }

    public <T> Uni<T> observe(String method, Instant start, Uni<T> call) {
        return call.onItemOrFailure().invoke((item, failure) -> record(method, start, failure));
    }

    public <T> Multi<T> observe(String method, Instant start, Multi<T> call) {
        return call.onCompletion().invoke(() -> record(method, start, null)).onFailure().invoke(f -> record(method, start, f));
    }

    private void record(String method, Instant start, Throwable failure) {
        Status.Code code = failure == null ? Status.Code.OK : Status.fromThrowable(failure).getCode();
        Attributes attributes = Attributes.of(METHOD, method, CODE, code.name());
        requests.add(1, attributes);
        latency.record(Duration.between(start, Instant.now()).toNanos() / 1e9, attributes);
    }
}

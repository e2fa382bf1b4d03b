package io.un0.scheduler.testing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A real OpenTelemetry SDK (W3C propagation) whose spans and metrics stay in memory for the test to read. */
public final class Telemetry implements AutoCloseable {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    public OpenTelemetrySdk sdk() {
        return sdk;
    }

    public List<SpanData> spans() {
        return spans.getFinishedSpanItems();
    }

    /** The latest value of a long counter or gauge at exactly these attributes; 0 when never recorded. */
    public long value(String metric, Attributes attributes) {
        for (MetricData m : metrics.collectAllMetrics()) {
            if (m.getName().equals(metric)) {
                for (LongPointData p : m.getType() == MetricDataType.LONG_SUM
                        ? m.getLongSumData().getPoints() : m.getLongGaugeData().getPoints()) {
                    if (p.getAttributes().equals(attributes)) {
                        return p.getValue();
                    }
                }
            }
        }
        return 0;
    }

    /** The values one label takes across a double gauge's points. */
    public Set<String> labelValues(String gauge, String label) {
        return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(gauge))
                .flatMap(m -> m.getDoubleGaugeData().getPoints().stream())
                .map(p -> p.getAttributes().get(AttributeKey.stringKey(label))).collect(Collectors.toSet());
    }

    /** The labels of {@code un0.scheduler.decisions} for a job assigned to that pool. */
    public static Attributes assigned(String pool) {
        return Attributes.of(AttributeKey.stringKey("un0.decision.kind"), "assign", AttributeKey.stringKey("un0.pool"), pool);
    }

    /** The labels of {@code un0.scheduler.decisions} for a job shed for that reason ({@code FailureKind}'s label). */
    public static Attributes shed(String reason) {
        return Attributes.of(AttributeKey.stringKey("un0.decision.kind"), "shed", AttributeKey.stringKey("un0.reason"), reason);
    }

    @Override
    public void close() {
        sdk.close();
    }
}

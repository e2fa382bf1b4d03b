package io.un0.metrics;

import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.quarkus.opentelemetry.runtime.AutoConfiguredOpenTelemetrySdkBuilderCustomizer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code GET /q/metrics}: the service's OpenTelemetry metrics in Prometheus's text formats (OpenMetrics when the
 * scraper asks for it, as Prometheus does), read from the same instruments the OTLP export reads. Names follow the
 * OpenTelemetry-to-Prometheus mapping: {@code hw.energy} in J is {@code hw_energy_joules_total}, dots become
 * underscores, the unit and {@code _total} are appended. With the SDK disabled (the unit tests' profile) the page
 * is empty rather than missing.
 */
@Singleton
public class PrometheusScrape implements AutoConfiguredOpenTelemetrySdkBuilderCustomizer {

    public static final String PATH = "/q/metrics";

    /** No resource attributes as labels: Prometheus's own target labels say which process it is. */
    private final PrometheusMetricReader reader = new PrometheusMetricReader(false, attribute -> false);
    private final ExpositionFormats formats = ExpositionFormats.init();
    private volatile boolean registered;

    @Override
    public void customize(AutoConfiguredOpenTelemetrySdkBuilder builder) {
        builder.addMeterProviderCustomizer((meters, config) -> {
            registered = true;
            return meters.registerMetricReader(reader);
        });
    }

    void route(@Observes Router router) {
        router.get(PATH).blockingHandler(this::scrape);
    }

    private void scrape(RoutingContext context) {
        ExpositionFormatWriter writer = writer(context.request().getHeader(HttpHeaders.ACCEPT));
        context.response().putHeader(HttpHeaders.CONTENT_TYPE, writer.getContentType()).end(Buffer.buffer(render(writer)));
    }

    /**
     * OpenMetrics where the scraper's {@code Accept} header takes it, else Prometheus text. Never protobuf: it
     * would tie the page to the protobuf runtime the services carry for gRPC, and every scraper that asks for it
     * also takes text.
     */
    ExpositionFormatWriter writer(String accept) {
        ExpositionFormatWriter openMetrics = formats.getOpenMetricsTextFormatWriter();
        return accept != null && openMetrics.accepts(accept) ? openMetrics : formats.getPrometheusTextFormatWriter();
    }

    byte[] render(ExpositionFormatWriter writer) {
        MetricSnapshots snapshots = registered ? reader.collect() : MetricSnapshots.of();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, snapshots);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the metrics to memory", e);
        }
        return out.toByteArray();
    }
}

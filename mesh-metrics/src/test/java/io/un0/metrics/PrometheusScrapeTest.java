package io.un0.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusScrapeTest {

    private static final String OPEN_METRICS = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    @Test
    void instrumentsAppearUnderPrometheusNamesWithUnitsAndLabels() {
        PrometheusScrape scrape = new PrometheusScrape();
        AutoConfiguredOpenTelemetrySdkBuilder builder = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of("otel.traces.exporter", "none", "otel.metrics.exporter", "none", "otel.logs.exporter", "none"));
        scrape.customize(builder);
        OpenTelemetrySdk sdk = builder.build().getOpenTelemetrySdk();
        try {
            Meter meter = sdk.getMeter("test");
            meter.counterBuilder("hw.energy").ofDoubles().setUnit("J").build()
                    .add(12.5, Attributes.of(AttributeKey.stringKey("un0.pool"), "edge-a"));
            meter.gaugeBuilder("hw.power").setUnit("W").buildWithCallback(g -> g.record(40));
            meter.gaugeBuilder("un0.grid.intensity").setUnit("g/kWh").buildWithCallback(g -> g.record(300));
            meter.counterBuilder("un0.dead_letters").setUnit("{record}").build().add(1);
            String text = new String(scrape.render(scrape.writer(OPEN_METRICS)), StandardCharsets.UTF_8);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("hw_energy_joules_total{") && l.contains("un0_pool=\"edge-a\"") && l.endsWith("} 12.5")), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("hw_power_watts{") && l.endsWith("} 40.0")), text);
            // The rules in deploy/prometheus/ use these names: a unit becomes words, an annotation ({record}) nothing.
            assertTrue(text.lines().anyMatch(l -> l.startsWith("un0_grid_intensity_grams_per_kWh{") && l.endsWith("} 300.0")), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("un0_dead_letters_total{") && l.endsWith("} 1.0")), text);
            assertTrue(text.endsWith("# EOF\n"), "OpenMetrics when asked for it");
            assertEquals("text/plain; version=0.0.4; charset=utf-8", scrape.writer("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited").getContentType());
        } finally {
            sdk.close();
        }
    }

    @Test
    void anEmptyPageWhileTheSdkIsOff() {
        PrometheusScrape scrape = new PrometheusScrape();
        assertEquals(0, scrape.render(scrape.writer("text/plain")).length);
    }
}

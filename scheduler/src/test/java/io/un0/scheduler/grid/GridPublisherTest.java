package io.un0.scheduler.grid;

import com.google.protobuf.InvalidProtocolBufferException;
import io.un0.carbon.IntensityForecast;
import io.un0.carbon.IntensitySignal;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.GridIntensity;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the publisher puts on the grid signal topic, from each kind of feed. */
class GridPublisherTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:30:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path traces;
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

    private List<GridIntensity> published(GridFeed... feeds) throws InvalidProtocolBufferException {
        new GridPublisher(List.of(feeds), producer, Duration.ofHours(24)).publish(NOW);
        List<GridIntensity> out = new ArrayList<>();
        for (ProducerRecord<String, byte[]> r : producer.history()) {
            assertEquals(MeshTopic.GRID_SIGNALS.name(), r.topic());
            GridIntensity g = GridIntensity.parseFrom(r.value());
            assertEquals(g.getRegion(), r.key(), "keyed by region");
            out.add(g);
        }
        return out;
    }

    @Test
    void aStaticFigureIsPublishedKeyedByTheRegion() throws Exception {
        GridIntensity local = published(GridFeeds.of("local", RegionSettings.of("static").gramsPerKwh(480, "static: world average 2023 (Ember)"),
                NOW, HTTP, TIMEOUT)).get(0);
        assertEquals(480, local.getGramsPerKwh());
        assertEquals("static: world average 2023 (Ember)", local.getSource());
        assertFalse(local.getStale());
        assertEquals(NOW, ProtoTime.instant(local.getObserved()));
        assertEquals(0, local.getForecastCount());
    }

    @Test
    void aSourceThatFailsFallsBackToTheDeclaredFigureFlaggedStaleOrPublishesNothing() throws Exception {
        // Port 1 on loopback refuses at once: an SDK that is down.
        RegionSettings down = RegionSettings.of("carbon-aware-sdk").zone("westeurope").url("http://127.0.0.1:1");
        List<GridIntensity> signals = published(GridFeeds.of("NL", down.fallback(300), NOW, HTTP, TIMEOUT), GridFeeds.of("BE", down, NOW, HTTP, TIMEOUT));
        assertEquals(1, signals.size(), "BE has neither a figure nor a fallback: nothing, and the scheduler prices it as unknown");
        GridIntensity nl = signals.get(0);
        assertEquals("NL", nl.getRegion());
        assertEquals(300, nl.getGramsPerKwh());
        assertTrue(nl.getStale());
        assertTrue(nl.getSource().startsWith("declared fallback in un0.scheduler.grid.regions.NL.fallback-grams-per-kwh"), nl.getSource());
    }

    @Test
    void aReplayedTracePlaysAsIfNow() throws Exception {
        Files.writeString(traces.resolve("ES_2022_hourly.csv"), String.join("\n",
                "Datetime (UTC),Zone Id,Carbon Intensity gCO₂eq/kWh (direct),Carbon Intensity gCO₂eq/kWh (LCA)",
                "2022-06-01 00:00:00,ES,100,150",
                "2022-06-01 01:00:00,ES,90,140",
                "2022-06-01 02:00:00,ES,80,130"), StandardCharsets.UTF_8);
        Instant start = NOW.minus(Duration.ofMinutes(90));
        GridFeed feed = GridFeeds.of("es", RegionSettings.of("replay").zone("ES").replay(traces, Instant.parse("2022-06-01T00:00:00Z")),
                start, HTTP, TIMEOUT);
        GridIntensity es = published(feed).get(0);
        assertEquals(140, es.getGramsPerKwh(), "90 minutes after start is 01:30 in the trace");
        assertEquals(start.plus(Duration.ofHours(1)), ProtoTime.instant(es.getValidFrom()), "its hour, in wall-clock time");
        assertEquals("es", es.getRegion());
        assertTrue(es.getSource().contains("(replay), trace time 2022-06-01T01:00:00Z"), es.getSource());
    }

    @Test
    void aForecastIsPublishedAsIssuedInWallClockTime() throws Exception {
        Duration shift = Duration.ofDays(-10);
        Instant asked = NOW.plus(shift);
        IntensityForecast forecast = (zone, now, horizon) -> {
            assertEquals(asked, now, "asked at the source's time");
            return List.of(IntensitySignal.read(zone, now.plus(Duration.ofMinutes(30)), 90, "f"),
                    IntensitySignal.read(zone, now.plus(Duration.ofMinutes(35)), 80, "f"));
        };
        GridFeed feed = new GridFeed("CA", "CAISO_NORTH", (zone, now) -> IntensitySignal.read(zone, now, 100, "live"), Optional.of(forecast), shift);
        GridIntensity ca = published(feed).get(0);
        assertEquals(2, ca.getForecastCount());
        assertEquals(NOW.plus(Duration.ofMinutes(30)), ProtoTime.instant(ca.getForecast(0).getFrom()));
        assertEquals(Duration.ofMinutes(5), ProtoTime.duration(ca.getForecast(0).getLength()));
        assertEquals(Duration.ofMinutes(5), ProtoTime.duration(ca.getForecast(1).getLength()), "the last point lasts as long as the one before");
        assertEquals(80, ca.getForecast(1).getGramsPerKwh());
    }
}

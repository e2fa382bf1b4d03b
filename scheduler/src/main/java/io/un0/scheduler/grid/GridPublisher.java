package io.un0.scheduler.grid;

import io.un0.carbon.IntensitySignal;
import io.un0.carbon.SignalUnavailableException;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.ForecastPoint;
import io.un0.proto.mesh.v1.GridIntensity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Reads every region's feed and publishes what it says on the compacted grid signal topic, keyed by region, where
 * every scheduler reads it. A replayed trace is published in wall-clock time, as if it were happening now.
 */
public final class GridPublisher {

    private static final System.Logger LOG = System.getLogger(GridPublisher.class.getName());
    /** The length given to a forecast's last point, when there is no earlier one to take it from. */
    private static final Duration LONE_POINT = Duration.ofHours(1);

    private final List<GridFeed> feeds;
    private final Producer<String, byte[]> producer;
    private final Duration horizon;

    /** @param horizon how far ahead forecasts go */
    public GridPublisher(List<GridFeed> feeds, Producer<String, byte[]> producer, Duration horizon) {
        this.feeds = List.copyOf(feeds);
        this.producer = producer;
        this.horizon = horizon;
    }

    /** One send per region that has a figure; a region with none (no good figure yet, no fallback) is left as it was. */
    public List<Future<RecordMetadata>> publish(Instant now) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (GridFeed feed : feeds) {
            read(feed, now, horizon).ifPresent(signal -> sent.add(producer.send(
                    new ProducerRecord<>(MeshTopic.GRID_SIGNALS.name(), feed.region(), signal.toByteArray()))));
        }
        return sent;
    }

    static Optional<GridIntensity> read(GridFeed feed, Instant now, Duration horizon) {
        Instant asked = feed.sourceTime(now);
        IntensitySignal current;
        try {
            current = feed.current().current(feed.zone(), asked);
        } catch (SignalUnavailableException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "no carbon intensity for {0}: {1}", feed.region(), e.getMessage());
            return Optional.empty();
        }
        GridIntensity.Builder signal = GridIntensity.newBuilder().setRegion(feed.region()).setGramsPerKwh(current.gramsPerKwh())
                .setSource(current.source() + (feed.shift().isZero() ? "" : ", trace time " + current.validFrom()))
                .setStale(current.stale()).setValidFrom(ProtoTime.timestamp(feed.wallTime(current.validFrom())))
                .setObserved(ProtoTime.timestamp(now));
        if (feed.forecast().isPresent()) {
            try {
                signal.addAllForecast(points(feed, feed.forecast().get().forecast(feed.zone(), asked, horizon)));
            } catch (SignalUnavailableException | RuntimeException e) {
                // The figure in force is still worth publishing; without a forecast no job is held for a greener hour.
                LOG.log(System.Logger.Level.WARNING, "no carbon intensity forecast for {0}: {1}", feed.region(), e.getMessage());
            }
        }
        return Optional.of(signal.build());
    }

    /** Each point lasts until the next begins; the last as long as the one before it. */
    private static List<ForecastPoint> points(GridFeed feed, List<IntensitySignal> forecast) {
        List<ForecastPoint> points = new ArrayList<>();
        Duration length = LONE_POINT;
        for (int i = 0; i < forecast.size(); i++) {
            IntensitySignal p = forecast.get(i);
            if (i + 1 < forecast.size()) {
                length = Duration.between(p.validFrom(), forecast.get(i + 1).validFrom());
            }
            points.add(ForecastPoint.newBuilder().setFrom(ProtoTime.timestamp(feed.wallTime(p.validFrom())))
                    .setLength(ProtoTime.duration(length)).setGramsPerKwh(p.gramsPerKwh()).build());
        }
        return points;
    }
}

package io.un0.scheduler.grid;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.KafkaConfig;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import io.un0.scheduler.SchedulerConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Publishes the configured regions' grid signals at start and every {@code un0.scheduler.grid.refresh}. Every
 * scheduler instance publishes: the topic is compacted by region, so they only repeat each other.
 */
@Singleton
public class GridSignalService {

    private static final System.Logger LOG = System.getLogger(GridSignalService.class.getName());

    private final GridConfig config;
    private final KafkaAccess kafka;
    private final String instance;
    private ScheduledExecutorService timer;
    private KafkaProducer<String, byte[]> producer;

    GridSignalService(GridConfig config, SchedulerConfig scheduler,
                      KafkaConfig kafkaConfig) {
        this.config = config;
        this.kafka = kafkaConfig.access();
        this.instance = scheduler.instance();
    }

    void start(@Observes StartupEvent e) {
        if (config.regions().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "no grid signal source configured: every region is priced at the policy's unknown intensity");
            return;
        }
        // Built before anything runs, so that a wrong setting stops the start with the key to fix.
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
        Instant start = Instant.now();
        List<GridFeed> feeds = new ArrayList<>();
        config.regions().forEach((region, source) -> feeds.add(GridFeeds.of(region, source, start, http, config.timeout())));
        producer = MeshClients.producer(kafka, instance + "-grid", Duration.ofSeconds(10));
        GridPublisher publisher = new GridPublisher(feeds, producer, config.forecastHorizon());
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, instance + "-grid"));
        timer.scheduleWithFixedDelay(() -> {
            // A task that throws is never run again: every failure is logged and the next refresh tries anew.
            try {
                // Made here, not left to the broker: an auto-created topic would not be compacted.
                MeshTopics.create(kafka, List.of(MeshTopic.GRID_SIGNALS));
                publisher.publish(Instant.now());
            } catch (RuntimeException failure) {
                LOG.log(System.Logger.Level.WARNING, "grid signals not published", failure);
            }
        }, 0, config.refresh().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
            producer.close(Duration.ofSeconds(5));
        }
    }
}

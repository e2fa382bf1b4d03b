package io.un0.gateway.health;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.un0.gateway.GatewayConfig;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.KafkaConfig;
import io.un0.proto.MeshTopic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/**
 * Whether any scheduler is running, read every {@code scheduler-check-every} from Kafka: the schedulers' consumer
 * group has members. Without one no job is routed, so an interactive call is answered UNAVAILABLE at once instead of
 * waiting for its deadline, and the gateway says it is not ready. A scheduler restarting is given
 * {@code scheduler-grace} before either happens.
 */
@ApplicationScoped
public class SchedulerWatch {

    private static final System.Logger LOG = System.getLogger(SchedulerWatch.class.getName());

    private final KafkaAccess kafka;
    private final Duration every;
    private final Duration grace;
    private final Instant started = Instant.now();
    private volatile Instant lastSeen;
    private volatile String lastProblem = "not checked yet";
    private ScheduledExecutorService timer;
    private Admin admin;

    public SchedulerWatch(KafkaConfig kafkaConfig, GatewayConfig config) {
        this.kafka = kafkaConfig.access();
        this.every = config.schedulerCheckEvery();
        this.grace = config.schedulerGrace();
    }

    void start(@Observes StartupEvent event) {
        String timeout = Long.toString(askWithin().toMillis());
        Map<String, Object> settings = kafka.clientConfig();
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        admin = Admin.create(settings);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "un0-scheduler-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }

    private void check() {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(MeshTopic.SCHEDULER_GROUP)).all()
                    .get(askWithin().toMillis(), TimeUnit.MILLISECONDS).get(MeshTopic.SCHEDULER_GROUP);
            if (group != null && !group.members().isEmpty()) {
                lastSeen = Instant.now();
            } else {
                lastProblem = "the schedulers' consumer group " + MeshTopic.SCHEDULER_GROUP + " has no member";
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            lastProblem = "Kafka did not say whether a scheduler runs (" + e + ")";
            LOG.log(System.Logger.Level.DEBUG, lastProblem);
        }
    }

    /** At least a second per question, however often they are asked. */
    private Duration askWithin() {
        return every.compareTo(Duration.ofSeconds(1)) > 0 ? every : Duration.ofSeconds(1);
    }

    /** Why no job would be routed now, when no scheduler has been seen within the grace; empty while one runs. */
    public Optional<String> noScheduler() {
        Instant seen = lastSeen;
        Instant since = seen == null ? started : seen;
        if (Duration.between(since, Instant.now()).compareTo(grace) <= 0) {
            return Optional.empty();
        }
        return Optional.of("no scheduler is running: " + lastProblem + (seen == null ? "" : "; last seen " + seen));
    }
}

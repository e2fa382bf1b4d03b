package io.un0.gateway;

import io.quarkus.runtime.StartupEvent;
import io.un0.gateway.jobs.JobFactory;
import io.un0.gateway.inference.ServedModels;
import io.un0.gateway.validation.ModelCatalogue;
import io.un0.gateway.validation.RequestValidator;
import io.un0.proto.MeshTopic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/** The gateway's plain-Java parts, made once from configuration (singletons: records and final classes cannot be proxied). */
@ApplicationScoped
public class GatewayBeans {

    /**
     * A batch's images are read from the results topic until the batch is forgotten, so a batch running to its
     * default deadline and kept for the retention after must still be on the topic.
     */
    void checkResultsOutliveBatches(@Observes StartupEvent event, GatewayConfig config) {
        Duration needed = config.batchDeadline().plus(config.batchRetention());
        if (needed.compareTo(MeshTopic.RESULTS.retention()) > 0) {
            throw new IllegalStateException("un0.gateway.batch-deadline + un0.gateway.batch-retention = " + needed
                    + " exceeds the retention of " + MeshTopic.RESULTS.name() + " (" + MeshTopic.RESULTS.retention()
                    + "), which holds batch images: shorten one of them");
        }
    }

    @Produces
    @Singleton
    ModelCatalogue catalogue() {
        return ModelCatalogue.bundled();
    }

    @Produces
    @Singleton
    ServedModels servedModels() {
        return ServedModels.bundled();
    }

    @Produces
    @Singleton
    RequestValidator validator(ModelCatalogue catalogue, GatewayConfig config) {
        return new RequestValidator(catalogue, config.maxImagesPerRequest(), config.maxBatchItems());
    }

    @Produces
    @Singleton
    JobFactory jobs(RequestValidator validator, GatewayConfig config) {
        return new JobFactory(validator, config.batchDeadline());
    }
}

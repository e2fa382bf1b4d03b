package io.un0.gateway;

import io.un0.gateway.jobs.JobFactory;
import io.un0.gateway.validation.ModelCatalogue;
import io.un0.gateway.validation.RequestValidator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The gateway's plain-Java parts, made once from configuration (singletons: records and final classes cannot be proxied). */
@ApplicationScoped
public class GatewayBeans {

    @Produces
    @Singleton
    ModelCatalogue catalogue() {
        return ModelCatalogue.bundled();
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

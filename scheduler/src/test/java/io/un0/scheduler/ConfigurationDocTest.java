package io.un0.scheduler;

import io.un0.scheduler.budget.BudgetConfig;
import io.un0.scheduler.budget.SolarConfig;
import io.un0.scheduler.grid.GridConfig;
import io.un0.scheduler.policy.CarbonAwareConfig;
import io.un0.auth.AuthConfig;
import io.un0.kafka.KafkaConfig;
import io.un0.testing.ConfigurationDocs;

/** The scheduler's CONFIGURATION.md names every key of its configuration mappings. */
class ConfigurationDocTest extends ConfigurationDocs {

    ConfigurationDocTest() {
        super(AuthConfig.class, KafkaConfig.class, SchedulerConfig.class, CarbonAwareConfig.class, GridConfig.class, BudgetConfig.class, SolarConfig.class);
    }
}

package io.un0.scheduler.budget;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

/** How the power-budget book talks to Kafka ({@code un0.scheduler.budgets.*}). */
@ConfigMapping(prefix = "un0.scheduler.budgets")
public interface BudgetConfig {

    /** How long a write waits for Kafka's acknowledgement, and then for the book to read it back. */
    @WithDefault("10s")
    @DurationMin(nanos = 0, inclusive = false)
    Duration timeout();
}

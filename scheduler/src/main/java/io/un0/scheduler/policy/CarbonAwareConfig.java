package io.un0.scheduler.policy;

import io.smallrye.config.ConfigMapping;
import io.un0.routing.CarbonAwarePolicy;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * The carbon-aware policy's settings ({@code un0.scheduler.carbon-aware.*}); each one left out keeps the policy's
 * own default ({@link CarbonAwarePolicy.Settings#DEFAULT}).
 */
@ConfigMapping(prefix = "un0.scheduler.carbon-aware")
public interface CarbonAwareConfig {

    /** gCO2e/kWh assumed for a region with no grid signal: high, so that unknown grids come last. */
    @PositiveOrZero
    OptionalDouble unknownGramsPerKwh();

    /** The least saving, as a fraction of running now, worth holding a deferrable job for. */
    @PositiveOrZero
    OptionalDouble minDeferralSaving();

    /** How long before its deadline a deferred job is released at the latest, to leave time to run it. */
    Optional<@DurationMin(nanos = 0) Duration> deferralMargin();

    /** The time to done an interactive job aims for: a greener pool with a longer queue is passed over unless none meets it. */
    @Positive
    OptionalDouble interactiveQueueSeconds();

    /** The longest queue, in seconds of work, batch work may build in a pool, to keep room for interactive work. */
    @Positive
    OptionalDouble batchQueueSeconds();

    /** Feasible options recorded in a decision beside the chosen one. */
    @PositiveOrZero
    OptionalInt alternatives();

    /** Infeasible options recorded in a decision, with why. */
    @PositiveOrZero
    OptionalInt rejections();

    default CarbonAwarePolicy.Settings settings() {
        CarbonAwarePolicy.Settings d = CarbonAwarePolicy.Settings.DEFAULT;
        return new CarbonAwarePolicy.Settings(unknownGramsPerKwh().orElse(d.unknownGramsPerKwh()),
                minDeferralSaving().orElse(d.minDeferralSaving()), deferralMargin().orElse(d.deferralMargin()),
                interactiveQueueSeconds().orElse(d.interactiveQueueSeconds()), batchQueueSeconds().orElse(d.batchQueueSeconds()), alternatives().orElse(d.alternatives()), rejections().orElse(d.rejections()));
    }
}

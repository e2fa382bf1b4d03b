package io.un0.energy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMin;

/** How a service of the mesh meters its own energy and says so; the same keys for the gateway and the scheduler. */
@ConfigMapping(prefix = "un0.energy")
public interface EnergyConfig {

    /** {@code auto} (RAPL where readable, else the declared model), {@code rapl} (or refuse to start), {@code model}. */
    @WithDefault("auto")
    @NotBlank
    String meter();

    /** The declared model's watts per busy core, where no meter can be read. */
    @WithDefault("4.4")
    @Positive
    double wattsPerBusyCore();

    /** Where the kernel shows RAPL's counters. */
    @WithDefault("/sys/class/powercap")
    Path powercap();

    /** How often the process says what it has drawn (un0.process-energy.v1). */
    @WithDefault("2s")
    @DurationMin(millis = 100)
    Duration reportEvery();

    /** Read by the scheduler only: over how long it shares the mesh's own energy out among the images served. */
    @WithDefault("60s")
    @DurationMin(seconds = 1)
    Duration shareWindow();

    /** The grid region this process draws from, as workers name theirs; unset: priced at the unknown-region figure. */
    Optional<String> region();
}

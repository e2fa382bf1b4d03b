package io.un0.scheduler.budget;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Sites whose budget follows the sun over a recorded trace ({@code un0.scheduler.solar.*}); none configured: off. */
@ConfigMapping(prefix = "un0.scheduler.solar")
public interface SolarConfig {

    /** By site, as its workers' heartbeats name it. */
    Map<String, Site> sites();

    /** The trace's instant that the scheduler's start is mapped to. */
    @WithDefault("2022-06-08T00:00:00Z")
    Instant replayStart();

    /** Replayed time per real time: 1 is real time, more for demos (at most 3600, an hour a second). */
    @WithDefault("1")
    double speed();

    /** The trace; absent: {@code solar/solcast2022_global_actual.csv} under {@code ../shared/data}. */
    Optional<Path> trace();

    interface Site {

        /** Installed panel capacity: the budget at a fraction of 1. */
        double panelWatts();

        /** The trace's column: Berlin, Cape Town, Hong Kong, Lagos, Mexico City, Mumbai, San Francisco, Stockholm, Sydney, São Paulo. */
        String location();

        /** What the site may always draw (a battery, a grid connection), added to the solar part. */
        @WithDefault("0")
        double batteryWatts();
    }
}

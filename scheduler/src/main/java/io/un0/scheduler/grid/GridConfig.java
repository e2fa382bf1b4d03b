package io.un0.scheduler.grid;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.PositiveOrZero;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Where each region's grid carbon intensity comes from, and how often it is read ({@code un0.scheduler.grid.*}).
 * A region with no source here gets no signal: the policy prices it at its unknown intensity.
 */
@ConfigMapping(prefix = "un0.scheduler.grid")
public interface GridConfig {

    /** How often every region's source is read and its signal published. */
    @WithDefault("5m")
    @DurationMin(nanos = 0, inclusive = false)
    Duration refresh();

    /** A signal not refreshed for this long is taken as stale by the scheduler (its publisher has stopped). */
    @WithDefault("30m")
    @DurationMin(nanos = 0, inclusive = false)
    Duration maxAge();

    /** How far ahead forecasts are published, where a source gives them. */
    @WithDefault("24h")
    @DurationMin(nanos = 0)
    Duration forecastHorizon();

    /** How long an HTTP source may take to answer. */
    @WithDefault("10s")
    @DurationMin(nanos = 0, inclusive = false)
    Duration timeout();

    /** By region, as workers name it in their heartbeats ({@code un0.scheduler.grid.regions.<REGION>.*}). */
    Map<String, Region> regions();

    /** One region's source and that source's settings; which settings apply depends on {@code source}. */
    interface Region {

        /** {@code static}, {@code replay}, {@code electricitymaps}, {@code watttime}, {@code uk} or {@code carbon-aware-sdk}. */
        String source();

        /** What the source calls the region (an Electricity Maps zone, a WattTime region, an SDK location); default: the region. */
        Optional<String> zone();

        /** static: the declared figure, gCO2e/kWh. */
        @PositiveOrZero
        OptionalDouble gramsPerKwh();

        /** static: what the figure is, as the signal's source ("static: world average 2023 (Ember)"). */
        Optional<String> declaredAs();

        /** When the source fails and has no good figure yet: this one, flagged stale. None: no signal until it answers. */
        @PositiveOrZero
        OptionalDouble fallbackGramsPerKwh();

        /** replay: the folder of Electricity Maps hourly exports; default {@code ../shared/data/carbon/electricitymaps}. */
        Optional<Path> folder();

        /** replay: the exports' year. */
        @WithDefault("2022")
        int year();

        /** replay: {@code LCA} (life-cycle, what the SCI asks for) or {@code DIRECT}. */
        @WithDefault("LCA")
        String basis();

        /** replay: the trace instant the scheduler's start is mapped to, so the trace replays as if now. */
        Optional<Instant> replayStart();

        /** HTTP sources: the service's base URL; defaults to the public one where there is one (not for the Carbon Aware SDK). */
        Optional<URI> url();

        /** electricitymaps: the API token. */
        Optional<String> token();

        /** watttime: the account. */
        Optional<String> username();

        /** watttime: the account's password. */
        Optional<String> password();
    }
}

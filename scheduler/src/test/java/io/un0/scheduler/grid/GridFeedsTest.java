package io.un0.scheduler.grid;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A wrong grid setting stops the start, naming the key to fix. */
class GridFeedsTest {

    private static String refused(String region, RegionSettings settings) {
        return assertThrows(IllegalArgumentException.class,
                () -> GridFeeds.of(region, settings, Instant.EPOCH, HttpClient.newHttpClient(), Duration.ofSeconds(1))).getMessage();
    }

    @Test
    void eachMistakeNamesItsKey() {
        assertEquals("un0.scheduler.grid.regions.ES.source: 'solar' is not one of static, replay, electricitymaps, watttime, uk, carbon-aware-sdk",
                refused("ES", RegionSettings.of("solar")));
        assertEquals("un0.scheduler.grid.regions.ES.grams-per-kwh: required for this source", refused("ES", RegionSettings.of("static")));
        assertEquals("un0.scheduler.grid.regions.ES.token: required for this source", refused("ES", RegionSettings.of("electricitymaps")));
        assertEquals("un0.scheduler.grid.regions.CA.username: required for this source", refused("CA", RegionSettings.of("watttime")));
        assertEquals("un0.scheduler.grid.regions.eastus.url: required for this source", refused("eastus", RegionSettings.of("carbon-aware-sdk")));
        assertEquals("un0.scheduler.grid.regions.ES.zone: the UK Carbon Intensity API covers GB only, not ES", refused("ES", RegionSettings.of("uk")));
    }
}

package io.un0.carbon;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The Green Software Foundation's Carbon Aware SDK web API: {@code GET /emissions/bylocation?location=eastus},
 * answering {@code [{"location":"eastus","time":"2026-11-26T10:00:00+00:00","rating":402.5,"duration":"00:05:00"}]}
 * with ratings in gCO2e/kWh; the newest entry that began at or before now is taken.
 */
public final class CarbonAwareSdkApi implements CarbonIntensitySource {

    private final URI base;
    private final JsonFetch fetch;

    /** @param base where the SDK's web API is deployed */
    public CarbonAwareSdkApi(URI base, HttpClient http, Duration timeout) {
        this.base = base;
        this.fetch = new JsonFetch(http, timeout);
    }

    @Override
    public IntensitySignal current(String region, Instant now) throws SignalUnavailableException {
        JsonNode entries = fetch.get(base.resolve("/emissions/bylocation?location=" + URLEncoder.encode(region, StandardCharsets.UTF_8)), Map.of());
        if (!entries.isArray()) {
            throw new SignalUnavailableException("Carbon Aware SDK for " + region + ": expected a list of emissions, got " + entries.getNodeType());
        }
        IntensitySignal newest = null;
        for (JsonNode e : entries) {
            Instant at;
            try {
                at = java.time.OffsetDateTime.parse(e.path("time").asText()).toInstant();
            } catch (DateTimeParseException bad) {
                throw new SignalUnavailableException("Carbon Aware SDK for " + region + ": unreadable 'time' " + e.get("time"), bad);
            }
            if (!at.isAfter(now) && (newest == null || at.isAfter(newest.validFrom()))) {
                newest = IntensitySignal.read(region, at, JsonFetch.number(e, "rating", "Carbon Aware SDK for " + region),
                        "GSF Carbon Aware SDK web API");
            }
        }
        if (newest == null) {
            throw new SignalUnavailableException("Carbon Aware SDK for " + region + ": no emissions at or before " + now);
        }
        return newest;
    }
}

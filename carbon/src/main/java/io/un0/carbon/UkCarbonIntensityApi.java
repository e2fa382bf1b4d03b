package io.un0.carbon;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The UK's National Grid ESO Carbon Intensity API: {@code GET /intensity}, answering
 * {@code {"data":[{"from":"2026-11-26T10:00Z","to":"2026-11-26T10:30Z","intensity":{"forecast":180,"actual":176,"index":"moderate"}}]}}.
 * Covers one region, {@code GB}; the actual figure where published, else the forecast for the half hour.
 */
public final class UkCarbonIntensityApi implements CarbonIntensitySource {

    public static final String REGION = "GB";
    private static final DateTimeFormatter HALF_HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmX");

    private final URI base;
    private final JsonFetch fetch;

    /** @param base {@code https://api.carbonintensity.org.uk} in production */
    public UkCarbonIntensityApi(URI base, HttpClient http, Duration timeout) {
        this.base = base;
        this.fetch = new JsonFetch(http, timeout);
    }

    @Override
    public IntensitySignal current(String region, Instant now) throws SignalUnavailableException {
        if (!REGION.equals(region)) {
            throw new SignalUnavailableException("the UK Carbon Intensity API covers " + REGION + " only, not " + region);
        }
        JsonNode period = fetch.get(base.resolve("/intensity"), Map.of()).path("data").path(0);
        JsonNode intensity = period.get("intensity");
        boolean actual = intensity != null && intensity.hasNonNull("actual");
        double g = JsonFetch.number(intensity, actual ? "actual" : "forecast", "UK Carbon Intensity");
        Instant from;
        try {
            from = OffsetDateTime.parse(period.path("from").asText(), HALF_HOUR).toInstant();
        } catch (DateTimeParseException e) {
            throw new SignalUnavailableException("UK Carbon Intensity: unreadable 'from' " + period.get("from"), e);
        }
        return IntensitySignal.read(region, from, g, "UK Carbon Intensity API (" + (actual ? "actual" : "forecast") + ")");
    }
}

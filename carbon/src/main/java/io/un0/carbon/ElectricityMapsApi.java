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
 * Electricity Maps' API: {@code GET /v3/carbon-intensity/latest?zone=ES} with an {@code auth-token} header, answering
 * {@code {"zone":"ES","carbonIntensity":182,"datetime":"2026-11-26T10:00:00.000Z","emissionFactorType":"lifecycle",...}}.
 * Regions are Electricity Maps zone ids.
 */
public final class ElectricityMapsApi implements CarbonIntensitySource {

    private final URI base;
    private final String token;
    private final JsonFetch fetch;

    /** @param base {@code https://api.electricitymap.org} in production */
    public ElectricityMapsApi(URI base, String token, HttpClient http, Duration timeout) {
        this.base = base;
        this.token = token;
        this.fetch = new JsonFetch(http, timeout);
    }

    @Override
    public IntensitySignal current(String region, Instant now) throws SignalUnavailableException {
        JsonNode body = fetch.get(base.resolve("/v3/carbon-intensity/latest?zone=" + URLEncoder.encode(region, StandardCharsets.UTF_8)),
                Map.of("auth-token", token));
        double g = JsonFetch.number(body, "carbonIntensity", "Electricity Maps for " + region);
        Instant at;
        try {
            at = Instant.parse(body.path("datetime").asText());
        } catch (DateTimeParseException e) {
            throw new SignalUnavailableException("Electricity Maps for " + region + ": unreadable 'datetime' " + body.get("datetime"), e);
        }
        return IntensitySignal.read(region, at, g, "Electricity Maps API (" + body.path("emissionFactorType").asText("lifecycle") + ")");
    }
}

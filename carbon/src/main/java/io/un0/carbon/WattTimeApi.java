package io.un0.carbon;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * WattTime's v3 API: {@code GET /login} with HTTP Basic auth answers {@code {"token":"..."}}, valid 30 minutes; then
 * {@code GET /v3/forecast?region=CAISO_NORTH&signal_type=co2_moer} with that bearer token answers
 * {@code {"data":[{"point_time":"2023-06-08T12:00:00+00:00","value":850.2},...],"meta":{"data_point_period_seconds":300,
 * "units":"lbs_co2_per_mwh","generated_at":"2023-06-08T11:55:52+00:00",...}}}, in 5-minute points from the current
 * period on. The figures are marginal (MOER), not average: every signal's source says so. Covers one configured region.
 */
public final class WattTimeApi implements CarbonIntensitySource, IntensityForecast {

    /** Tokens live 30 minutes; logging in again after 25 leaves room for clock skew and a slow call. */
    static final Duration TOKEN_REUSE = Duration.ofMinutes(25);

    private static final String SIGNAL_TYPE = "co2_moer";
    private static final String SOURCE = "WattTime v3 API (co2_moer, marginal)";
    /** Grams per kWh in one of each unit WattTime may answer in: 1 lb = 453.59237 g, and per MWh is per 1000 kWh. */
    private static final Map<String, Double> GRAMS_PER_KWH = Map.of("lbs_co2_per_mwh", 453.59237 / 1000, "g_co2_per_kwh", 1.0);

    /**
     * Where and as whom to ask, and for which WattTime region ({@code CAISO_NORTH} is the one open to free accounts).
     *
     * @param base {@code https://api.watttime.org} in production, see {@link #of}
     */
    public record Config(URI base, String username, String password, String region) {

        public static final URI PRODUCTION = URI.create("https://api.watttime.org");

        public Config {
            if (base == null || username == null || username.isBlank() || password == null || region == null || region.isBlank()) {
                throw new IllegalArgumentException("WattTime needs a base URL, a username, a password and a region");
            }
        }

        /** Against WattTime's production API. */
        public static Config of(String username, String password, String region) {
            return new Config(PRODUCTION, username, password, region);
        }

        /** Never the password: a config may end up in a log. */
        @Override
        public String toString() {
            return "WattTime " + username + "@" + base + " for " + region;
        }
    }

    /** A bearer token and when it was handed out, by our clock. */
    private record Token(String value, Instant obtained) {
    }

    /** One forecast as WattTime issued it, figures already in g/kWh, by the start of their period. */
    private record Issued(Instant generatedAt, Duration period, NavigableMap<Instant, Double> gramsPerKwh) {
    }

    private final Config config;
    private final JsonFetch fetch;
    private final Clock clock;
    private Token token;

    public WattTimeApi(Config config, HttpClient http, Duration timeout) {
        this(config, http, timeout, Clock.systemUTC());
    }

    /** @param clock the wall clock a token ages by, never the decision time a replay passes in */
    WattTimeApi(Config config, HttpClient http, Duration timeout, Clock clock) {
        this.config = config;
        this.fetch = new JsonFetch(http, timeout);
        this.clock = clock;
    }

    /** The MOER of the 5-minute period {@code now} falls in, from the current forecast. */
    @Override
    public IntensitySignal current(String region, Instant now) throws SignalUnavailableException {
        Issued issued = issued(region);
        Map.Entry<Instant, Double> point = issued.gramsPerKwh().floorEntry(now);
        if (point == null) {
            throw new SignalUnavailableException(what(region) + ": the forecast starts at " + issued.gramsPerKwh().firstKey() + ", after " + now);
        }
        if (!now.isBefore(point.getKey().plus(issued.period()))) {
            throw new SignalUnavailableException(what(region) + ": the forecast's last period began at " + point.getKey() + " and ended before " + now);
        }
        return IntensitySignal.read(region, point.getKey(), point.getValue(), SOURCE + ", issued " + issued.generatedAt());
    }

    /** The current forecast's points after {@code now}, provided it had been issued by then. */
    @Override
    public List<IntensitySignal> forecast(String region, Instant now, Duration horizon) throws SignalUnavailableException {
        Issued issued = issued(region);
        if (issued.generatedAt().isAfter(now)) {
            // A live API only has its newest forecast; the one that stood at an earlier now is not to be had here.
            throw new SignalUnavailableException(what(region) + ": the forecast was issued at " + issued.generatedAt() + ", after " + now);
        }
        List<IntensitySignal> points = new ArrayList<>();
        issued.gramsPerKwh().subMap(now, false, now.plus(horizon), true)
                .forEach((at, g) -> points.add(IntensitySignal.read(region, at, g, SOURCE + ", issued " + issued.generatedAt())));
        return points;
    }

    private Issued issued(String region) throws SignalUnavailableException {
        if (!config.region().equals(region)) {
            throw new SignalUnavailableException("this WattTime source is configured for " + config.region() + ", not " + region);
        }
        JsonNode body = forecastJson(region);
        JsonNode meta = body.path("meta");
        String units = meta.path("units").asText("");
        Double factor = GRAMS_PER_KWH.get(units);
        if (factor == null) {
            throw new SignalUnavailableException(what(region) + ": unknown units " + meta.get("units") + " (known: " + GRAMS_PER_KWH.keySet() + ")");
        }
        Instant generatedAt = time(meta, "generated_at", region);
        Duration period = meta.has("data_point_period_seconds")
                ? Duration.ofSeconds((long) JsonFetch.number(meta, "data_point_period_seconds", what(region)))
                : Duration.ofMinutes(5);
        JsonNode data = body.get("data");
        if (data == null || !data.isArray() || data.isEmpty()) {
            throw new SignalUnavailableException(what(region) + ": no forecast points in 'data' (got " + data + ")");
        }
        NavigableMap<Instant, Double> points = new TreeMap<>();
        for (JsonNode p : data) {
            double value = JsonFetch.number(p, "value", what(region));
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new SignalUnavailableException(what(region) + ": a MOER of " + value + " " + units + " at " + p.get("point_time"));
            }
            points.put(time(p, "point_time", region), value * factor);
        }
        return new Issued(generatedAt, period, points);
    }

    /** The forecast document; a refused token gets one fresh login and one retry, as WattTime may revoke it early. */
    private JsonNode forecastJson(String region) throws SignalUnavailableException {
        URI uri = config.base().resolve("/v3/forecast?region=" + URLEncoder.encode(region, StandardCharsets.UTF_8) + "&signal_type=" + SIGNAL_TYPE);
        String used = token(null);
        try {
            HttpResponse<String> response = fetch.send(uri, bearer(used));
            if (response.statusCode() == 401) {
                response = fetch.send(uri, bearer(token(used)));
            }
            return fetch.parse(uri, response);
        } catch (SignalUnavailableException e) {
            throw new SignalUnavailableException(what(region) + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /**
     * A token young enough to use, logging in when there is none, it is old, or it is {@code refused}.
     * Synchronized so concurrent callers share one login rather than each making their own.
     */
    private synchronized String token(String refused) throws SignalUnavailableException {
        Instant wall = clock.instant();
        if (token == null || token.value().equals(refused) || Duration.between(token.obtained(), wall).compareTo(TOKEN_REUSE) >= 0) {
            token = new Token(login(), wall);
        }
        return token.value();
    }

    private String login() throws SignalUnavailableException {
        String basic = Base64.getEncoder().encodeToString((config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
        JsonNode body;
        try {
            body = fetch.get(config.base().resolve("/login"), Map.of("Authorization", "Basic " + basic));
        } catch (SignalUnavailableException e) {
            throw new SignalUnavailableException("WattTime login as " + config.username() + " failed: " + e.getMessage(), e);
        }
        JsonNode value = body.get("token");
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new SignalUnavailableException("WattTime login as " + config.username() + ": no 'token' in the answer");
        }
        return value.asText();
    }

    private static Instant time(JsonNode node, String field, String region) throws SignalUnavailableException {
        try {
            return OffsetDateTime.parse(node.path(field).asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new SignalUnavailableException(what(region) + ": unreadable '" + field + "' " + node.get(field), e);
        }
    }

    private static String what(String region) {
        return "WattTime forecast for " + region;
    }
}

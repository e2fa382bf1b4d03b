package io.un0.carbon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** One GET of a JSON document from a carbon service, every way it can fail told as a {@link SignalUnavailableException}. */
final class JsonFetch {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;

    JsonFetch(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    JsonNode get(URI uri, Map<String, String> headers) throws SignalUnavailableException {
        return parse(uri, send(uri, headers));
    }

    /** The answer whatever its status, for a caller that must tell one status from the others (a refused token). */
    HttpResponse<String> send(URI uri, Map<String, String> headers) throws SignalUnavailableException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SignalUnavailableException(uri.getHost() + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignalUnavailableException("interrupted while asking " + uri.getHost(), e);
        }
    }

    /** The JSON of a 200 answer. */
    JsonNode parse(URI uri, HttpResponse<String> response) throws SignalUnavailableException {
        if (response.statusCode() != 200) {
            String body = response.body();
            throw new SignalUnavailableException(uri.getHost() + " answered HTTP " + response.statusCode() + ": "
                    + body.substring(0, Math.min(200, body.length())));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SignalUnavailableException(uri.getHost() + " answered something that is not JSON: " + e.getMessage(), e);
        }
    }

    /** A number field that must be there and be a number. */
    static double number(JsonNode node, String field, String what) throws SignalUnavailableException {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || !v.isNumber()) {
            throw new SignalUnavailableException(what + ": no number in '" + field + "' (got " + v + ")");
        }
        return v.asDouble();
    }
}

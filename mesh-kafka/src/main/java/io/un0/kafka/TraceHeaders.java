package io.un0.kafka;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The W3C trace context (traceparent, tracestate) in Kafka record headers, so that one request is one trace from
 * the gateway through the scheduler and a worker back to the gateway.
 */
public final class TraceHeaders {

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.remove(key);
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header h = headers == null ? null : headers.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    private TraceHeaders() {
    }

    /** Writes the context's span (usually {@code Context.current()}) into the headers of a record about to be sent. */
    public static void inject(OpenTelemetry otel, Context context, Headers headers) {
        otel.getPropagators().getTextMapPropagator().inject(context, headers, SETTER);
    }

    /** Whether the headers already name the span their record was sent from (W3C traceparent). */
    public static boolean carryContext(Headers headers) {
        return headers.lastHeader("traceparent") != null;
    }

    /** The context a record was sent in; the root context when it carries none. */
    public static Context extract(OpenTelemetry otel, Headers headers) {
        return otel.getPropagators().getTextMapPropagator().extract(Context.root(), headers, GETTER);
    }
}

package io.un0.scheduler.mapping;

import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.ForecastPoint;
import io.un0.proto.mesh.v1.GridIntensity;
import io.un0.routing.GridSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A grid signal from its topic as the routing policy reads it, after the checks that make it usable. */
public final class GridSignals {

    private GridSignals() {
    }

    /** A region's signal and when its publisher read it. */
    public record Observed(GridSignal signal, Instant observed) {

        /**
         * The signal in force at {@code now}: flagged stale as well once not refreshed within {@code maxAge}, as when
         * its publisher has stopped and the compacted topic still holds its last figure.
         */
        public GridSignal at(Instant now, Duration maxAge) {
            if (signal.intensity().stale() || !observed.plus(maxAge).isBefore(now)) {
                return signal;
            }
            return new GridSignal(signal.region(), signal.intensity().asStale(), signal.forecast());
        }
    }

    public static Observed of(GridIntensity g) throws InvalidEnvelopeException {
        if (g.getRegion().isBlank()) {
            throw new InvalidEnvelopeException("region", "missing");
        }
        intensity(g.getGramsPerKwh(), "grams_per_kwh");
        if (!g.hasObserved()) {
            throw new InvalidEnvelopeException("observed", "missing");
        }
        List<GridSignal.Point> forecast = new ArrayList<>();
        for (int i = 0; i < g.getForecastCount(); i++) {
            ForecastPoint p = g.getForecast(i);
            String at = "forecast[" + i + "]";
            if (!p.hasFrom()) {
                throw new InvalidEnvelopeException(at + ".from", "missing");
            }
            Duration length = ProtoTime.duration(p.getLength());
            if (length.isNegative() || length.isZero()) {
                throw new InvalidEnvelopeException(at + ".length", length + " is not positive");
            }
            forecast.add(new GridSignal.Point(ProtoTime.instant(p.getFrom()), length, intensity(p.getGramsPerKwh(), at + ".grams_per_kwh")));
        }
        forecast.sort(Comparator.comparing(GridSignal.Point::from));
        return new Observed(new GridSignal(g.getRegion(), new io.un0.vocabulary.GridIntensity(g.getGramsPerKwh(), g.getSource(), g.getStale()), forecast),
                ProtoTime.instant(g.getObserved()));
    }

    private static double intensity(double gramsPerKwh, String field) throws InvalidEnvelopeException {
        if (!(gramsPerKwh >= 0) || Double.isInfinite(gramsPerKwh)) {
            throw new InvalidEnvelopeException(field, gramsPerKwh + " is not a finite figure ≥ 0 g/kWh");
        }
        return gramsPerKwh;
    }
}

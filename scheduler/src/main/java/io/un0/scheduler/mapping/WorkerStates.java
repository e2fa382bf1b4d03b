package io.un0.scheduler.mapping;

import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.mesh.v1.Heartbeat;
import io.un0.proto.mesh.v1.VariantCost;
import io.un0.routing.Rate;
import io.un0.routing.WorkerState;
import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.Precision;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a heartbeat tells the fleet view, after the checks that make it usable for routing, completed with what is
 * declared about the worker's kind of hardware.
 *
 * <p>Speed and energy per precision come from the heartbeat's measured costs where it has any for that precision:
 * evaluations per second = steps / seconds per image, joules per evaluation = joules per image / steps. A worker
 * reports one cost per (precision, step count); the one with the fewest steps is taken, because that is the variant
 * most jobs run (a draft, and the default, is one step), so its moving average rests on the most runs, and because
 * it counts each image's fixed costs (noise, PNG) against the fewest evaluations, the cautious side. A precision
 * with no usable measurement yet takes the figures declared for the device class.
 */
public final class WorkerStates {

    private WorkerStates() {
    }

    /**
     * The worker's state as of the heartbeat's {@code sent} time, which liveness is measured from.
     *
     * @param declared per device class; must hold every class
     */
    public static WorkerState of(Heartbeat h, Map<DeviceClass, DeclaredHardware> declared) throws InvalidEnvelopeException {
        require(h.getWorker(), "worker");
        require(h.getPool(), "pool");
        try {
            MeshTopic.assignments(h.getPool());
        } catch (IllegalArgumentException e) {
            throw new InvalidEnvelopeException("pool", "'" + h.getPool() + "' cannot name an assignment topic (allowed: a-z 0-9 . _ -)");
        }
        require(h.getRegion(), "region");
        if (!h.hasSent()) {
            throw new InvalidEnvelopeException("sent", "missing");
        }
        if (h.getPrecisionsCount() == 0) {
            throw new InvalidEnvelopeException("precisions", "empty; a worker serves at least one");
        }
        if (!(h.getPowerWatts() >= 0) || Double.isInfinite(h.getPowerWatts())) {
            throw new InvalidEnvelopeException("power_watts", h.getPowerWatts() + " is not a finite figure ≥ 0");
        }
        DeviceClass deviceClass = deviceClass(h);
        DeclaredHardware hardware = declared.get(deviceClass);
        Map<Precision, Rate> measured = measured(h);
        Map<Precision, Rate> rates = new EnumMap<>(Precision.class);
        for (io.un0.proto.v1.Precision p : h.getPrecisionsList()) {
            Precision precision = Precisions.read(p, "precisions");
            rates.put(precision, measured.getOrDefault(precision, hardware.rates().get(precision)));
        }
        int queued = images(h.getQueueDepth(), "queue_depth");
        // Older workers send images only: Un-0's own step count, one evaluation per image.
        double queuedEvals = h.getQueuedEvaluations() == 0 ? queued : evaluations(h.getQueuedEvaluations(), "queued_evaluations");
        double urgentEvals = h.hasEvaluationsAheadOfInteractive()
                ? evaluations(h.getEvaluationsAheadOfInteractive(), "evaluations_ahead_of_interactive") : queuedEvals;
        return new WorkerState(h.getWorker(), h.getPool(), h.getSite(), h.getRegion(), deviceClass, rates, hardware.idleWatts(),
                h.getPowerWatts(), hardware.embodiedGramsPerSecond(), images(h.getCapacity(), "capacity"),
                queued, queuedEvals, urgentEvals, ProtoTime.instant(h.getSent()));
    }

    private record Measured(long steps, Rate rate) {
    }

    /** Per precision, the rate of its measured cost with the fewest steps. */
    private static Map<Precision, Rate> measured(Heartbeat h) throws InvalidEnvelopeException {
        Map<Precision, Measured> fewestSteps = new EnumMap<>(Precision.class);
        for (VariantCost c : h.getCostsList()) {
            long steps = Integer.toUnsignedLong(c.getSteps());
            double evalsPerSecond = steps / c.getSecondsPerImage();
            double joulesPerEval = c.getEnergyPerImage().getJoules() / steps;
            // A cost that gives no rate (no steps, no time or no energy measured yet) leaves the declared figures standing.
            if (evalsPerSecond > 0 && joulesPerEval > 0 && Double.isFinite(evalsPerSecond) && Double.isFinite(joulesPerEval)) {
                fewestSteps.merge(Precisions.read(c.getPrecision(), "costs.precision"), new Measured(steps, new Rate(evalsPerSecond, joulesPerEval)),
                        (a, b) -> b.steps() < a.steps() ? b : a);
            }
        }
        Map<Precision, Rate> rates = new EnumMap<>(Precision.class);
        fewestSteps.forEach((precision, m) -> rates.put(precision, m.rate()));
        return rates;
    }

    private static DeviceClass deviceClass(Heartbeat h) throws InvalidEnvelopeException {
        return ProtoVocabulary.fromProto(h.getDeviceClass()).orElseThrow(() -> new InvalidEnvelopeException("device_class",
                h.getDeviceClassValue() == 0 ? "missing" : "unknown device class " + h.getDeviceClassValue()));
    }

    private static void require(String value, String field) throws InvalidEnvelopeException {
        if (value.isBlank()) {
            throw new InvalidEnvelopeException(field, "missing");
        }
    }

    private static double evaluations(double value, String field) throws InvalidEnvelopeException {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new InvalidEnvelopeException(field, value + " is not a finite count >= 0");
        }
        return value;
    }

    /** Image counts are uint32 on the wire; one past int's range would read as negative. */
    private static int images(int value, String field) throws InvalidEnvelopeException {
        if (value < 0) {
            throw new InvalidEnvelopeException(field, Integer.toUnsignedString(value) + " is above " + Integer.MAX_VALUE);
        }
        return value;
    }
}

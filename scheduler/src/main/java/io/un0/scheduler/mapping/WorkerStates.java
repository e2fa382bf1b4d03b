package io.un0.scheduler.mapping;

import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.Heartbeat;
import io.un0.proto.v1.Precision;
import io.un0.routing.DeviceClass;
import io.un0.routing.WorkerState;

import java.util.HashSet;
import java.util.Set;

/** What a heartbeat tells the fleet view, after the checks that make it usable for routing. */
public final class WorkerStates {

    private WorkerStates() {
    }

    /** The worker's state as of the heartbeat's {@code sent} time, which liveness is measured from. */
    public static WorkerState of(Heartbeat h) throws InvalidEnvelopeException {
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
        Set<String> precisions = new HashSet<>();
        for (Precision p : h.getPrecisionsList()) {
            precisions.add(Precisions.name(p, "precisions"));
        }
        return new WorkerState(h.getWorker(), h.getPool(), h.getSite(), h.getRegion(), deviceClass(h), precisions,
                images(h.getCapacity(), "capacity"), images(h.getQueueDepth(), "queue_depth"), ProtoTime.instant(h.getSent()));
    }

    private static DeviceClass deviceClass(Heartbeat h) throws InvalidEnvelopeException {
        return switch (h.getDeviceClass()) {
            case DEVICE_CLASS_CPU -> DeviceClass.CPU;
            case DEVICE_CLASS_GPU -> DeviceClass.GPU;
            case DEVICE_CLASS_NPU -> DeviceClass.NPU;
            case DEVICE_CLASS_UNSPECIFIED -> throw new InvalidEnvelopeException("device_class", "missing");
            case UNRECOGNIZED -> throw new InvalidEnvelopeException("device_class", "unknown device class " + h.getDeviceClassValue());
        };
    }

    private static void require(String value, String field) throws InvalidEnvelopeException {
        if (value.isBlank()) {
            throw new InvalidEnvelopeException(field, "missing");
        }
    }

    /** Image counts are uint32 on the wire; one past int's range would read as negative. */
    private static int images(int value, String field) throws InvalidEnvelopeException {
        if (value < 0) {
            throw new InvalidEnvelopeException(field, Integer.toUnsignedString(value) + " is above " + Integer.MAX_VALUE);
        }
        return value;
    }
}

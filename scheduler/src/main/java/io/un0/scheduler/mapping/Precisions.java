package io.un0.scheduler.mapping;

import io.un0.proto.v1.Precision;

/** The contract's precisions and the names routing policies use for them ("fp32", "int8"), both ways. */
public final class Precisions {

    private Precisions() {
    }

    /** @param field the envelope field the precision came from, named when it is not one */
    public static String name(Precision precision, String field) throws InvalidEnvelopeException {
        return switch (precision) {
            case PRECISION_FP32 -> "fp32";
            case PRECISION_INT8 -> "int8";
            case PRECISION_UNSPECIFIED -> throw new InvalidEnvelopeException(field, "PRECISION_UNSPECIFIED is not a precision");
            case UNRECOGNIZED -> throw new InvalidEnvelopeException(field, "unknown precision " + precision.getNumber());
        };
    }

    /** @throws IllegalArgumentException when a policy names a precision the contract lacks (a policy bug) */
    public static Precision of(String name) {
        return switch (name) {
            case "fp32" -> Precision.PRECISION_FP32;
            case "int8" -> Precision.PRECISION_INT8;
            default -> throw new IllegalArgumentException("a routing policy chose precision '" + name + "', which is neither fp32 nor int8");
        };
    }
}

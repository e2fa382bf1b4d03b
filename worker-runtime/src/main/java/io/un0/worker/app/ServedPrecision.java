package io.un0.worker.app;

import io.un0.model.ModelPackage;
import io.un0.proto.v1.Precision;

/** A precision a worker can serve, named as configured ({@code fp32}, {@code int8}), with the package that holds it. */
public enum ServedPrecision {
    FP32(Precision.PRECISION_FP32, ModelPackage.GENERATOR_FP32),
    INT8(Precision.PRECISION_INT8, ModelPackage.GENERATOR_INT8);

    private final Precision precision;
    private final String modelPackage;

    ServedPrecision(Precision precision, String modelPackage) {
        this.precision = precision;
        this.modelPackage = modelPackage;
    }

    public Precision precision() {
        return precision;
    }

    /** The bundled package's name. */
    public String modelPackage() {
        return modelPackage;
    }
}

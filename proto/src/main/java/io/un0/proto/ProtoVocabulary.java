package io.un0.proto;

import com.google.protobuf.ProtocolMessageEnum;
import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.Precision;
import java.util.Locale;
import java.util.Optional;

/**
 * The vocabulary's device classes and precisions and the contract's enums, both ways: the one place where the
 * protobuf names ({@code DEVICE_CLASS_GPU}, {@code PRECISION_INT8}) meet the mesh's own.
 */
public final class ProtoVocabulary {

    private ProtoVocabulary() {
    }

    /**
     * A contract enum as people read it (metric labels, the inference protocol's response parameters): without its
     * type's prefix, in lower case ({@code ENERGY_SOURCE_MEASURED_RAPL} is {@code measured_rapl}).
     */
    public static String label(ProtocolMessageEnum value) {
        String prefix = value.getDescriptorForType().getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT) + "_";
        String name = value.getValueDescriptor().getName();
        return (name.startsWith(prefix) ? name.substring(prefix.length()) : name).toLowerCase(Locale.ROOT);
    }

    public static io.un0.proto.v1.DeviceClass toProto(DeviceClass deviceClass) {
        return switch (deviceClass) {
            case CPU -> io.un0.proto.v1.DeviceClass.DEVICE_CLASS_CPU;
            case GPU -> io.un0.proto.v1.DeviceClass.DEVICE_CLASS_GPU;
            case NPU -> io.un0.proto.v1.DeviceClass.DEVICE_CLASS_NPU;
        };
    }

    /** Empty for {@code UNSPECIFIED} and for a number this build does not know: the caller names the field. */
    public static Optional<DeviceClass> fromProto(io.un0.proto.v1.DeviceClass deviceClass) {
        return switch (deviceClass) {
            case DEVICE_CLASS_CPU -> Optional.of(DeviceClass.CPU);
            case DEVICE_CLASS_GPU -> Optional.of(DeviceClass.GPU);
            case DEVICE_CLASS_NPU -> Optional.of(DeviceClass.NPU);
            case DEVICE_CLASS_UNSPECIFIED, UNRECOGNIZED -> Optional.empty();
        };
    }

    public static io.un0.proto.v1.Precision toProto(Precision precision) {
        return switch (precision) {
            case FP32 -> io.un0.proto.v1.Precision.PRECISION_FP32;
            case INT8 -> io.un0.proto.v1.Precision.PRECISION_INT8;
        };
    }

    /** Empty for {@code UNSPECIFIED} and for a number this build does not know: the caller names the field. */
    public static Optional<Precision> fromProto(io.un0.proto.v1.Precision precision) {
        return switch (precision) {
            case PRECISION_FP32 -> Optional.of(Precision.FP32);
            case PRECISION_INT8 -> Optional.of(Precision.INT8);
            case PRECISION_UNSPECIFIED, UNRECOGNIZED -> Optional.empty();
        };
    }
}

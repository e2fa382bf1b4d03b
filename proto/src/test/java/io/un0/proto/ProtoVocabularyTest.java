package io.un0.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.Precision;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProtoVocabularyTest {

    @Test
    void everyDeviceClassAndPrecisionRoundTrips() {
        for (DeviceClass c : DeviceClass.values()) {
            assertEquals(Optional.of(c), ProtoVocabulary.fromProto(ProtoVocabulary.toProto(c)));
            assertEquals("DEVICE_CLASS_" + c.name(), ProtoVocabulary.toProto(c).name());
        }
        for (Precision p : Precision.values()) {
            assertEquals(Optional.of(p), ProtoVocabulary.fromProto(ProtoVocabulary.toProto(p)));
            assertEquals("PRECISION_" + p.name(), ProtoVocabulary.toProto(p).name());
        }
    }

    @Test
    void unspecifiedAndUnknownNumbersAreNotGuessed() {
        assertTrue(ProtoVocabulary.fromProto(io.un0.proto.v1.DeviceClass.DEVICE_CLASS_UNSPECIFIED).isEmpty());
        assertTrue(ProtoVocabulary.fromProto(io.un0.proto.v1.DeviceClass.UNRECOGNIZED).isEmpty());
        assertTrue(ProtoVocabulary.fromProto(io.un0.proto.v1.Precision.PRECISION_UNSPECIFIED).isEmpty());
        assertTrue(ProtoVocabulary.fromProto(io.un0.proto.v1.Precision.UNRECOGNIZED).isEmpty());
    }

    @Test
    void labelsDropTheTypesPrefix() {
        assertEquals("measured_rapl", ProtoVocabulary.label(io.un0.proto.v1.EnergySource.ENERGY_SOURCE_MEASURED_RAPL));
        assertEquals("gpu", ProtoVocabulary.label(io.un0.proto.v1.DeviceClass.DEVICE_CLASS_GPU));
        assertEquals("int8", ProtoVocabulary.label(io.un0.proto.v1.Precision.PRECISION_INT8));
    }
}

package io.un0.gateway.inference;

import com.google.protobuf.ByteString;
import io.un0.proto.inference.InferTensorContents;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A tensor's elements as the protocol carries them: in the typed field of {@link InferTensorContents} for its
 * datatype, or as raw little-endian bytes (a BYTES element as its 4-byte little-endian length, then its bytes).
 */
final class InferTensors {

    /** Why a tensor's elements cannot be read; the caller names the tensor. */
    static final class UnreadableTensor extends Exception {
        UnreadableTensor(String message) {
            super(message);
        }
    }

    /** The integer datatypes, with the width of one raw element. */
    private enum IntegerType {
        INT8(1, true), INT16(2, true), INT32(4, true), INT64(8, true),
        UINT8(1, false), UINT16(2, false), UINT32(4, false), UINT64(8, false);

        final int width;
        final boolean signed;

        IntegerType(int width, boolean signed) {
            this.width = width;
            this.signed = signed;
        }

        static Optional<IntegerType> of(String datatype) {
            for (IntegerType t : values()) {
                if (t.name().equals(datatype)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    static final String BYTES = "BYTES";

    private InferTensors() {
    }

    static boolean isInteger(String datatype) {
        return IntegerType.of(datatype).isPresent();
    }

    /**
     * The elements of an integer tensor as longs.
     *
     * @throws UnreadableTensor where the datatype is not an integer one, the elements are not where the datatype puts
     *                          them, or a UINT64 is beyond a long
     */
    static List<Long> integers(String datatype, InferTensorContents contents, Optional<ByteString> raw) throws UnreadableTensor {
        IntegerType type = IntegerType.of(datatype).orElseThrow(() -> new UnreadableTensor("datatype " + datatype + " is not an integer type"));
        List<Long> values = new ArrayList<>();
        if (raw.isPresent()) {
            ByteBuffer b = raw.get().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (b.remaining() % type.width != 0) {
                throw new UnreadableTensor(b.remaining() + " raw bytes are not a whole number of " + type.width + "-byte " + type + " elements");
            }
            while (b.hasRemaining()) {
                values.add(switch (type.width) {
                    case 1 -> type.signed ? (long) b.get() : Byte.toUnsignedLong(b.get());
                    case 2 -> type.signed ? (long) b.getShort() : Short.toUnsignedLong(b.getShort());
                    case 4 -> type.signed ? (long) b.getInt() : Integer.toUnsignedLong(b.getInt());
                    default -> b.getLong();
                });
            }
        } else {
            switch (type) {
                case INT8, INT16, INT32 -> contents.getIntContentsList().forEach(v -> values.add((long) v));
                case INT64 -> values.addAll(contents.getInt64ContentsList());
                case UINT8, UINT16, UINT32 -> contents.getUintContentsList().forEach(v -> values.add(Integer.toUnsignedLong(v)));
                case UINT64 -> values.addAll(contents.getUint64ContentsList());
            }
        }
        if (type == IntegerType.UINT64 && values.stream().anyMatch(v -> v < 0)) {
            throw new UnreadableTensor("a UINT64 element is above " + Long.MAX_VALUE);
        }
        return values;
    }

    /** The elements of a BYTES tensor. */
    static List<ByteString> bytes(InferTensorContents contents, Optional<ByteString> raw) throws UnreadableTensor {
        if (raw.isEmpty()) {
            return contents.getBytesContentsList();
        }
        ByteBuffer b = raw.get().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<ByteString> elements = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < Integer.BYTES) {
                throw new UnreadableTensor("raw BYTES end inside an element's 4-byte length");
            }
            int length = b.getInt();
            if (length < 0 || length > b.remaining()) {
                throw new UnreadableTensor("raw BYTES element " + elements.size() + " says " + Integer.toUnsignedString(length)
                        + " bytes but " + b.remaining() + " remain");
            }
            elements.add(ByteString.copyFrom(b.slice().limit(length)));
            b.position(b.position() + length);
        }
        return elements;
    }

    /** BYTES elements as raw contents. */
    static ByteString rawBytes(List<ByteString> elements) {
        List<ByteString> parts = new ArrayList<>(2 * elements.size());
        for (ByteString e : elements) {
            parts.add(ByteString.copyFrom(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(e.size()).array()));
            parts.add(e);
        }
        return ByteString.copyFrom(parts);
    }

    /** UINT64 elements as raw contents. */
    static ByteString rawUint64(List<Long> values) {
        ByteBuffer b = ByteBuffer.allocate(values.size() * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        values.forEach(b::putLong);
        return ByteString.copyFrom(b.array());
    }
}

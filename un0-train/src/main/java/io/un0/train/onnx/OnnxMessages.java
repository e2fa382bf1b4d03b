package io.un0.train.onnx;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Encodes the handful of ONNX protobuf messages the writer needs, straight onto the wire with protobuf-java's
 * {@link CodedOutputStream}. Field numbers are those of the published {@code onnx.proto} (IR version 8); encoding
 * by hand saves the build a protoc step and a Debian package for one schema that we only ever write.
 */
final class OnnxMessages {

    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int INT32 = 6;
    static final int INT64 = 7;

    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_STRING = 3;
    private static final int ATTR_INTS = 7;

    private OnnxMessages() {
    }

    @FunctionalInterface
    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An attribute of a node: one of int, float, string or ints. */
    record Attribute(String name, byte[] encoded) {
        static Attribute ofInt(String name, long value) {
            return new Attribute(name, message(out -> {
                out.writeString(1, name);
                out.writeInt64(3, value);
                out.writeInt32(20, ATTR_INT);
            }));
        }

        static Attribute ofFloat(String name, float value) {
            return new Attribute(name, message(out -> {
                out.writeString(1, name);
                out.writeFloat(2, value);
                out.writeInt32(20, ATTR_FLOAT);
            }));
        }

        static Attribute ofString(String name, String value) {
            return new Attribute(name, message(out -> {
                out.writeString(1, name);
                out.writeBytes(4, com.google.protobuf.ByteString.copyFromUtf8(value));
                out.writeInt32(20, ATTR_STRING);
            }));
        }

        static Attribute ofInts(String name, long... values) {
            return new Attribute(name, message(out -> {
                out.writeString(1, name);
                for (long v : values) {
                    out.writeInt64(8, v);
                }
                out.writeInt32(20, ATTR_INTS);
            }));
        }
    }

    static byte[] node(String name, String opType, List<String> inputs, List<String> outputs, List<Attribute> attributes) {
        return message(out -> {
            for (String i : inputs) {
                out.writeString(1, i);
            }
            for (String o : outputs) {
                out.writeString(2, o);
            }
            out.writeString(3, name);
            out.writeString(4, opType);
            for (Attribute a : attributes) {
                out.writeByteArray(5, a.encoded());
            }
        });
    }

    static byte[] tensor(String name, int dataType, long[] dims, byte[] rawLittleEndian) {
        return message(out -> {
            for (long d : dims) {
                out.writeInt64(1, d);
            }
            out.writeInt32(2, dataType);
            out.writeString(8, name);
            out.writeByteArray(9, rawLittleEndian);
        });
    }

    static byte[] raw(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    static byte[] raw(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return b.array();
    }

    static byte[] raw(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return b.array();
    }

    /**
     * A graph input or output: a tensor whose first dimension is the symbolic batch {@code N}.
     *
     * @param perSample the remaining dimensions
     */
    static byte[] valueInfo(String name, int elemType, int[] perSample) {
        byte[] shape = message(out -> {
            out.writeByteArray(1, message(dim -> dim.writeString(2, "N")));
            for (int d : perSample) {
                out.writeByteArray(1, message(dim -> dim.writeInt64(1, d)));
            }
        });
        byte[] tensorType = message(out -> {
            out.writeInt32(1, elemType);
            out.writeByteArray(2, shape);
        });
        byte[] type = message(out -> out.writeByteArray(1, tensorType));
        return message(out -> {
            out.writeString(1, name);
            out.writeByteArray(2, type);
        });
    }

    static byte[] graph(String name, List<byte[]> nodes, List<byte[]> initializers, List<byte[]> inputs, List<byte[]> outputs) {
        return message(out -> {
            for (byte[] n : nodes) {
                out.writeByteArray(1, n);
            }
            out.writeString(2, name);
            for (byte[] t : initializers) {
                out.writeByteArray(5, t);
            }
            for (byte[] i : inputs) {
                out.writeByteArray(11, i);
            }
            for (byte[] o : outputs) {
                out.writeByteArray(12, o);
            }
        });
    }

    /** A model with IR version 8 and the default-domain opset 17, plus free-form metadata. */
    static byte[] model(byte[] graph, String docString, java.util.Map<String, String> metadata) {
        byte[] opset = message(out -> {
            out.writeString(1, "");
            out.writeInt64(2, 17);
        });
        return message(out -> {
            out.writeInt64(1, 8);
            out.writeString(2, "un0-train");
            out.writeString(3, "1");
            out.writeString(6, docString);
            out.writeByteArray(7, graph);
            out.writeByteArray(8, opset);
            for (var e : metadata.entrySet()) {
                out.writeByteArray(14, message(kv -> {
                    kv.writeString(1, e.getKey());
                    kv.writeString(2, e.getValue());
                }));
            }
        });
    }
}

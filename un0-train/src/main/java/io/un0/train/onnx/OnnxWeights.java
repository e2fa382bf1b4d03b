package io.un0.train.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.un0.train.net.HostTensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The float initializers of an ONNX model, by name, as {@link PackageWriter} writes an fp32 package's weights: what a
 * run that starts from a trained network reads back. Reads only the fields it needs (field numbers of the published
 * {@code onnx.proto}) and skips the rest, as {@link OnnxMessages} writes only those.
 */
public final class OnnxWeights {

    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;

    private OnnxWeights() {
    }

    /** Every float initializer with raw data in {@code model}, in the graph's order. */
    public static Map<String, HostTensor> read(byte[] model) {
        Map<String, HostTensor> weights = new LinkedHashMap<>();
        try {
            CodedInputStream in = CodedInputStream.newInstance(model);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (isMessage(tag, MODEL_GRAPH)) {
                    CodedInputStream graph = CodedInputStream.newInstance(in.readByteBuffer());
                    for (int g = graph.readTag(); g != 0; g = graph.readTag()) {
                        if (isMessage(g, GRAPH_INITIALIZER)) {
                            tensor(graph.readByteArray(), weights);
                        } else {
                            graph.skipField(g);
                        }
                    }
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not an ONNX model: " + e.getMessage(), e);
        }
        return weights;
    }

    private static boolean isMessage(int tag, int field) {
        return WireFormat.getTagFieldNumber(tag) == field && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    private static void tensor(byte[] bytes, Map<String, HostTensor> into) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        List<Integer> dims = new ArrayList<>();
        int type = 0;
        String name = null;
        byte[] raw = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == TENSOR_DIMS && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                dims.add(Math.toIntExact(in.readInt64()));
            } else if (field == TENSOR_DIMS && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = in.pushLimit(in.readRawVarint32());      // packed dims
                while (in.getBytesUntilLimit() > 0) {
                    dims.add(Math.toIntExact(in.readInt64()));
                }
                in.popLimit(limit);
            } else if (field == TENSOR_DATA_TYPE) {
                type = in.readInt32();
            } else if (field == TENSOR_NAME) {
                name = in.readString();
            } else if (field == TENSOR_RAW_DATA) {
                raw = in.readByteArray();
            } else {
                in.skipField(tag);
            }
        }
        if (type != OnnxMessages.FLOAT || name == null || raw == null) {
            return;
        }
        float[] values = new float[raw.length / Float.BYTES];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        into.put(name, new HostTensor(dims.stream().mapToInt(Integer::intValue).toArray(), values));
    }
}

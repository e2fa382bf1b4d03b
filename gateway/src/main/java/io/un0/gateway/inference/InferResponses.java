package io.un0.gateway.inference;

import com.google.protobuf.ByteString;
import io.un0.gateway.inference.InferRequests.InferCall;
import io.un0.gateway.inference.InferRequests.Output;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.inference.InferParameter;
import io.un0.proto.inference.ModelInferResponse;
import io.un0.proto.inference.ModelInferResponse.InferOutputTensor;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.GenerateResponse;
import io.un0.proto.v1.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * A {@link GenerateResponse} as the {@code ModelInferResponse} of the call that asked for it: the outputs asked for,
 * all in {@code raw_output_contents} as Triton sends them (images as BYTES, each a PNG; seeds as UINT64; pixels as
 * UINT8 of shape [count, height, width]), and the accounting as response parameters (gateway/OPEN_INFERENCE.md).
 */
public final class InferResponses {

    private InferResponses() {
    }

    public static ModelInferResponse of(InferCall call, GenerateResponse answer) {
        ModelInferResponse.Builder r = ModelInferResponse.newBuilder().setModelName(call.model().name())
                .setModelVersion(call.model().version()).setId(call.id()).putAllParameters(parameters(answer));
        List<Image> images = answer.getImagesList();
        long n = images.size();
        for (Output o : Output.values()) {
            if (!call.outputs().contains(o)) {
                continue;
            }
            InferOutputTensor.Builder t = InferOutputTensor.newBuilder().setName(o.tensorName());
            switch (o) {
                case IMAGES -> {
                    t.setDatatype(InferTensors.BYTES).addShape(n);
                    r.addRawOutputContents(InferTensors.rawBytes(images.stream().map(Image::getPng).toList()));
                }
                case SEEDS -> {
                    t.setDatatype("UINT64").addShape(n);
                    r.addRawOutputContents(InferTensors.rawUint64(images.stream().map(Image::getSeed).toList()));
                }
                case PIXELS -> {
                    int h = images.isEmpty() ? 0 : images.get(0).getHeight();
                    int w = images.isEmpty() ? 0 : images.get(0).getWidth();
                    t.setDatatype("UINT8").addShape(n).addShape(h).addShape(w);
                    r.addRawOutputContents(ByteString.copyFrom(images.stream().map(i -> ByteString.copyFrom(pixels(i))).toList()));
                }
            }
            r.addOutputs(t);
        }
        return r.build();
    }

    /** Who served the request and what it cost: every figure with its unit in its name and its source beside it. */
    static Map<String, InferParameter> parameters(GenerateResponse answer) {
        Accounting a = answer.getAccounting();
        Map<String, InferParameter> p = new TreeMap<>();
        p.put("job_id", text(answer.getJobId()));
        p.put("pool", text(a.getPool()));
        p.put("worker", text(a.getWorker()));
        p.put("device_class", text(ProtoVocabulary.label(a.getDeviceClass())));
        p.put("execution_provider", text(a.getExecutionProvider()));
        p.put("precision", text(ProtoVocabulary.label(a.getPrecision())));
        p.put("steps", InferParameter.newBuilder().setInt64Param(a.getSteps()).build());
        p.put("energy_joules", number(a.getEnergy().getJoules()));
        p.put("energy_source", text(ProtoVocabulary.label(a.getEnergy().getSource())));
        p.put("energy_model", text(a.getEnergy().getModel()));
        p.put("carbon_grams_co2e", number(a.getCarbon().getGramsCo2E()));
        p.put("grid_intensity_g_per_kwh", number(a.getCarbon().getIntensityGPerKwh()));
        p.put("grid_region", text(a.getCarbon().getRegion()));
        p.put("grid_signal_source", text(a.getCarbon().getSignalSource()));
        p.put("grid_signal_stale", InferParameter.newBuilder().setBoolParam(a.getCarbon().getSignalStale()).build());
        if (a.hasBoundary()) {
            p.put("boundary_joules", number(a.getBoundary().getEnergy().getJoules()));
            p.put("boundary_energy_source", text(ProtoVocabulary.label(a.getBoundary().getEnergy().getSource())));
            p.put("boundary_grams_co2e", number(a.getBoundary().getGramsCo2E()));
        }
        return p;
    }

    private static byte[] pixels(Image image) {
        try {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.getPng().toByteArray()));
            int[] grey = decoded.getRaster().getPixels(0, 0, decoded.getWidth(), decoded.getHeight(), (int[]) null);
            byte[] out = new byte[grey.length];
            for (int i = 0; i < grey.length; i++) {
                out[i] = (byte) grey[i];
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("image " + image.getIndex() + " of the answer is not a readable PNG", e);
        }
    }

    private static InferParameter text(String value) {
        return InferParameter.newBuilder().setStringParam(value).build();
    }

    private static InferParameter number(double value) {
        return InferParameter.newBuilder().setDoubleParam(value).build();
    }
}

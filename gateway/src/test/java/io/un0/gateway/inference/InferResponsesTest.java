package io.un0.gateway.inference;

import com.google.protobuf.ByteString;
import io.un0.engine.GeneratedImage;
import io.un0.gateway.inference.InferRequests.InferCall;
import io.un0.gateway.inference.InferRequests.Output;
import io.un0.gateway.inference.ServedModels.ServedModel;
import io.un0.image.Png;
import io.un0.proto.inference.ModelInferResponse;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.Boundary;
import io.un0.proto.v1.Carbon;
import io.un0.proto.v1.DeviceClass;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GenerateResponse;
import io.un0.proto.v1.Image;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class InferResponsesTest {

    private static final ServedModel MODEL = new ServedModel("un0-fmnist", "1.0.0", Optional.empty());

    @Test
    void theOutputsAskedForInRawContentsAndTheAccountingAsParameters() throws IOException {
        GenerateResponse answer = GenerateResponse.newBuilder().setJobId("job-1")
                .addImages(image(0, 11, -1f)).addImages(image(1, 12, 1f))
                .setAccounting(Accounting.newBuilder().setPool("gpu-es").setDeviceClass(DeviceClass.DEVICE_CLASS_GPU).setSteps(1)
                        .setEnergy(Energy.newBuilder().setJoules(0.5).setSource(EnergySource.ENERGY_SOURCE_MEASURED_NVML))
                        .setCarbon(Carbon.newBuilder().setGramsCo2E(0.01).setIntensityGPerKwh(72).setRegion("ES"))
                        .setBoundary(Boundary.newBuilder().setEnergy(Energy.newBuilder().setJoules(0.7)
                                .setSource(EnergySource.ENERGY_SOURCE_MODELLED)))).build();
        InferCall call = new InferCall(MODEL, "req", GenerateRequest.getDefaultInstance(), EnumSet.allOf(Output.class), Map.of());
        ModelInferResponse r = InferResponses.of(call, answer);
        assertEquals(List.of("images", "pixels", "seeds"), r.getOutputsList().stream().map(ModelInferResponse.InferOutputTensor::getName).toList());
        assertEquals(List.of(2L), r.getOutputs(0).getShapeList());
        ByteBuffer images = r.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (Image expected : answer.getImagesList()) {
            byte[] png = new byte[images.getInt()];
            images.get(png);
            assertEquals(expected.getPng(), ByteString.copyFrom(png));
        }
        assertFalse(images.hasRemaining());
        assertEquals(List.of(2L, 28L, 28L), r.getOutputs(1).getShapeList());
        byte[] pixels = r.getRawOutputContents(1).toByteArray();
        // As any PNG reader reads the images.
        assertEquals(grey(answer.getImages(0)), pixels[0] & 0xFF);
        assertEquals(grey(answer.getImages(1)), pixels[28 * 28] & 0xFF);
        ByteBuffer seeds = r.getRawOutputContents(2).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(new long[]{11, 12}, new long[]{seeds.getLong(), seeds.getLong()});
        assertEquals("gpu-es", r.getParametersOrThrow("pool").getStringParam());
        assertEquals("gpu", r.getParametersOrThrow("device_class").getStringParam());
        assertEquals("measured_nvml", r.getParametersOrThrow("energy_source").getStringParam());
        assertEquals(0.5, r.getParametersOrThrow("energy_joules").getDoubleParam());
        assertEquals(72, r.getParametersOrThrow("grid_intensity_g_per_kwh").getDoubleParam());
        assertEquals("modelled", r.getParametersOrThrow("boundary_energy_source").getStringParam());
        assertEquals("job-1", r.getParametersOrThrow("job_id").getStringParam());
        assertEquals("req", r.getId());
    }

    @Test
    void onlyTheOutputsAskedFor() {
        InferCall call = new InferCall(MODEL, "", GenerateRequest.getDefaultInstance(), EnumSet.of(Output.SEEDS), Map.of());
        ModelInferResponse r = InferResponses.of(call, GenerateResponse.newBuilder().addImages(image(0, 5, 0f)).build());
        assertEquals(1, r.getOutputsCount());
        assertEquals("UINT64", r.getOutputs(0).getDatatype());
        assertFalse(r.containsParameters("boundary_joules"), "no boundary figure where the result had none");
    }

    private static int grey(Image image) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(image.getPng().toByteArray())).getRaster().getSample(0, 0, 0);
    }

    private static Image image(int index, long seed, float value) {
        float[] pixels = new float[28 * 28];
        Arrays.fill(pixels, value);
        return Image.newBuilder().setIndex(index).setSeed(seed).setWidth(28).setHeight(28)
                .setPng(ByteString.copyFrom(Png.encode(new GeneratedImage(3, seed, 1, 28, pixels)))).build();
    }
}

package io.un0.worker.gpu;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.un0.model.ModelPackage;

import java.util.EnumSet;

/**
 * Whether ONNX Runtime can run a model on CUDA device 0 here, found by trying it, with what was tried. The GPU
 * build lists CUDA among its providers on any machine (the list describes the build, not the machine), so the check
 * loads the CUDA provider and opens a session on the device.
 *
 * @param findings what was checked and what happened, for the operator
 */
public record CudaCheck(boolean usable, String findings) {

    /** The device the engine's CUDA provider opens. */
    static final int DEVICE = 0;

    public static CudaCheck attempt(ModelPackage probe) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
        String build = "ONNX Runtime " + env.getVersion() + " has the providers " + providers;
        if (!providers.contains(OrtProvider.CUDA)) {
            return new CudaCheck(false, build + ", not CUDA: the app was packaged with ONNX Runtime's CPU build instead of onnxruntime_gpu");
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            try {
                options.addCUDA(DEVICE);
            } catch (OrtException e) {
                return new CudaCheck(false, build + "; loading its CUDA provider failed (" + e.getMessage() + "): it needs an NVIDIA driver"
                        + " and, on the library path, CUDA 12 (cudart, cublas, cublasLt, curand, cufft) and cuDNN 9; ONNX Runtime's error log"
                        + " above names the library it could not load");
            }
            try (OrtSession session = env.createSession(probe.model(), options)) {
                return new CudaCheck(true, build + "; a session of " + probe.source() + " opened on CUDA device " + DEVICE);
            } catch (OrtException e) {
                return new CudaCheck(false, build + "; its CUDA provider loaded, but a session of " + probe.source() + " could not open on CUDA device "
                        + DEVICE + " (" + e.getMessage() + ")");
            }
        }
    }
}

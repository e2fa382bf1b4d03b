package io.un0.train.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * PyTorch (through DJL) as the trainer runs it: every array the trainer, the calibration and their tests make comes
 * from {@link #newManager()}, so they all run the same kernels.
 *
 * <p>oneDNN is switched off. On an AMD Zen 5 CPU (PyTorch 2.7.1's oneDNN 3.7.1) its convolutions broke training:
 * the forward pass differed from ONNX Runtime by 0.045 with its AVX-512 kernels, the backward pass gave a NaN loss at
 * the second step even with oneDNN held to AVX2, and a backward pass crashed inside {@code dnnl_primitive_execute}.
 * Nothing of ours was at fault (see docs/generator.md). Without oneDNN, PyTorch convolves with its own kernels
 * (im2col and a matrix product); the same weights come out to float rounding, about 2.7 times slower on two cores.
 * DJL has no switch for this, so it is flipped on PyTorch's global context ({@code torch.backends.mkldnn.enabled}).
 */
public final class TrainingEngine {

    private static final String PYTORCH = "PyTorch";
    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET_ONEDNN = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private static final String ONEDNN_ENABLED = "_ZNK2at7Context17userEnabledMkldnnEv";
    private static final String SET_DETERMINISTIC = "_ZN2at7Context26setDeterministicAlgorithmsEbb";
    private static final String SET_FILL_FRESH = "_ZN2at7Context39setDeterministicFillUninitializedMemoryEb";

    private static boolean configured;

    private TrainingEngine() {
    }

    /** A base manager on PyTorch with oneDNN switched off. */
    public static NDManager newManager() {
        configure();
        return Engine.getEngine(PYTORCH).newBaseManager();
    }

    /** Whether PyTorch would use oneDNN now: false once {@link #newManager()} has run. */
    public static boolean oneDnnEnabled() {
        return (Boolean) torchFunction(ONEDNN_ENABLED).invoke(Boolean.class, new Object[] {globalContext()});
    }

    /**
     * A debug mode: with {@code on}, PyTorch fills every tensor it allocates with NaN before anything writes it, so
     * that code reading memory it never wrote shows as a NaN. It needs PyTorch's deterministic mode, also switched.
     */
    public static void poisonFreshMemory(boolean on) {
        Pointer context = globalContext();
        torchFunction(SET_DETERMINISTIC).invoke(Void.class, new Object[] {context, on, false});
        torchFunction(SET_FILL_FRESH).invoke(Void.class, new Object[] {context, on});
    }

    private static synchronized void configure() {
        if (configured) {
            return;
        }
        torchFunction(SET_ONEDNN).invoke(Void.class, new Object[] {globalContext(), false});
        if (oneDnnEnabled()) {
            throw new IllegalStateException("PyTorch kept oneDNN enabled after it was switched off; training would run"
                    + " the kernels that broke it on some CPUs");
        }
        configured = true;
    }

    private static Pointer globalContext() {
        return (Pointer) torchFunction(GLOBAL_CONTEXT).invoke(Pointer.class, new Object[0]);
    }

    private static Function torchFunction(String symbol) {
        Engine.getEngine(PYTORCH); // loads libtorch, so that its directory is known
        return NativeLibrary.getInstance(LibUtils.getLibtorchPath() + "/libtorch_cpu.so").getFunction(symbol);
    }
}

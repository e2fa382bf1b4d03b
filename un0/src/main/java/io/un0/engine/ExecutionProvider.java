package io.un0.engine;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.un0.vocabulary.DeviceClass;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The ONNX Runtime execution providers the engine can ask for, in the order a configuration lists them. */
public enum ExecutionProvider {
    CPU(OrtProvider.CPU, DeviceClass.CPU),
    CUDA(OrtProvider.CUDA, DeviceClass.GPU),
    /** Intel NPUs through OpenVINO's "NPU" device. */
    OPENVINO(OrtProvider.OPEN_VINO, DeviceClass.NPU),
    /** Qualcomm Hexagon NPUs. */
    QNN(OrtProvider.QNN, DeviceClass.NPU),
    /** Apple Neural Engine, through Core ML. */
    COREML(OrtProvider.CORE_ML, DeviceClass.NPU),
    /** Android's neural-network accelerators. */
    NNAPI(OrtProvider.NNAPI, DeviceClass.NPU);

    private final OrtProvider ort;
    private final DeviceClass deviceClass;

    ExecutionProvider(OrtProvider ort, DeviceClass deviceClass) {
        this.ort = ort;
        this.deviceClass = deviceClass;
    }

    public DeviceClass deviceClass() {
        return deviceClass;
    }

    OrtProvider ort() {
        return ort;
    }

    void addTo(OrtSession.SessionOptions options) throws OrtException {
        switch (this) {
            case CPU -> { } // always present; ONNX Runtime places every node it can on the first provider added
            case CUDA -> options.addCUDA(0);
            case OPENVINO -> options.addOpenVINO("NPU");
            case QNN -> options.addQnn(Map.of("backend_path", "libQnnHtp.so"));
            case COREML -> options.addCoreML();
            case NNAPI -> options.addNnapi();
        }
    }

    /** Parses a comma-separated preference list such as {@code cuda,openvino,cpu}; names are case-insensitive. */
    public static List<ExecutionProvider> parseList(String list) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("execution provider list is empty; choose from " + Arrays.toString(values()));
        }
        return Arrays.stream(list.split(",")).map(String::trim).map(name -> {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown execution provider '" + name + "'; choose from "
                        + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")), e);
            }
        }).distinct().toList();
    }
}

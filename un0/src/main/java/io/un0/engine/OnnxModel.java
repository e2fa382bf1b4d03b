package io.un0.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.un0.model.ModelManifest;
import io.un0.model.ModelPackage;
import io.un0.model.ModelPackageException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * An ONNX Runtime session over a model package, on the first execution provider of the preference list that this
 * runtime build has and that accepts the model. Every provider passed over is logged with the reason; the one in
 * use is reported. Before it is returned, the graph is checked against the package's manifest.
 */
public final class OnnxModel implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OnnxModel.class.getName());

    private final ModelPackage modelPackage;
    private final OrtSession session;
    private final ExecutionProvider provider;

    private OnnxModel(ModelPackage modelPackage, OrtSession session, ExecutionProvider provider) {
        this.modelPackage = modelPackage;
        this.session = session;
        this.provider = provider;
    }

    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    public static OnnxModel open(ModelPackage pkg, EngineOptions options) {
        EnumSet<ai.onnxruntime.OrtProvider> available = OrtEnvironment.getAvailableProviders();
        List<String> passedOver = new ArrayList<>();
        for (ExecutionProvider p : options.providers()) {
            if (!available.contains(p.ort())) {
                passedOver.add(p + " (not in this ONNX Runtime build, which has " + available + ")");
                continue;
            }
            OrtSession session = null;
            try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                so.setIntraOpNumThreads(options.intraOpThreads());
                so.setInterOpNumThreads(1);
                so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                p.addTo(so);
                session = environment().createSession(pkg.model(), so);
            } catch (OrtException e) {
                if (p == ExecutionProvider.CPU) {
                    throw new ModelPackageException("model package " + pkg.source() + " is corrupt or not a valid ONNX graph: "
                            + e.getMessage(), e);
                }
                passedOver.add(p + " (" + e.getMessage() + ")");
                continue;
            }
            if (!passedOver.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "{0}: falling back to {1}; passed over {2}", pkg.manifest().name(), p, passedOver);
            }
            OnnxModel model = new OnnxModel(pkg, session, p);
            try {
                model.checkAgainstManifest();
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            return model;
        }
        throw new ModelPackageException("no execution provider of " + options.providers() + " could run " + pkg.source()
                + ": " + passedOver);
    }

    private void checkAgainstManifest() {
        ModelManifest m = modelPackage.manifest();
        try {
            compare("input", m.inputs(), session.getInputInfo());
            compare("output", m.outputs(), session.getOutputInfo());
        } catch (OrtException e) {
            throw new ModelPackageException("cannot inspect the graph of " + modelPackage.source() + ": " + e.getMessage(), e);
        }
    }

    private void compare(String what, List<ModelManifest.TensorSpec> declared, Map<String, NodeInfo> graph) {
        String where = modelPackage.source();
        if (declared.size() != graph.size() || !declared.stream().allMatch(s -> graph.containsKey(s.name()))) {
            throw new ModelPackageException("manifest of " + where + " does not match the graph: " + what + "s "
                    + declared.stream().map(ModelManifest.TensorSpec::name).toList() + " declared, " + graph.keySet() + " in the graph");
        }
        for (ModelManifest.TensorSpec spec : declared) {
            if (!(graph.get(spec.name()).getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.FLOAT) {
                throw new ModelPackageException("manifest of " + where + " does not match the graph: " + what + " '"
                        + spec.name() + "' is not a float tensor in the graph");
            }
            long[] declaredShape = spec.shape().stream().mapToLong(Long::longValue).toArray();
            if (!Arrays.equals(declaredShape, info.getShape())) {
                throw new ModelPackageException("manifest of " + where + " does not match the graph: " + what + " '"
                        + spec.name() + "' has shape " + Arrays.toString(info.getShape()) + " in the graph, "
                        + Arrays.toString(declaredShape) + " in the manifest");
            }
        }
    }

    public ModelManifest manifest() {
        return modelPackage.manifest();
    }

    public ModelPackage modelPackage() {
        return modelPackage;
    }

    public ExecutionProvider provider() {
        return provider;
    }

    public OrtSession session() {
        return session;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.log(System.Logger.Level.WARNING, "closing session of " + modelPackage.source(), e);
        }
    }
}

package io.un0.gateway.inference;

import com.google.protobuf.ByteString;
import io.un0.gateway.inference.InferTensors.UnreadableTensor;
import io.un0.gateway.inference.ServedModels.ServedModel;
import io.un0.proto.ProtoTime;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.Violation;
import io.un0.proto.inference.InferParameter;
import io.un0.proto.inference.ModelInferRequest;
import io.un0.proto.inference.ModelInferRequest.InferInputTensor;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.Quality;
import io.un0.proto.v1.QualityTier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A {@code ModelInferRequest} read as the {@link GenerateRequest} it stands for (gateway/OPEN_INFERENCE.md): the
 * class, count, seed and steps as input tensors of one element or as request parameters (either, not both); the
 * quality tier, the fewest steps, the regions, an idempotency key and a timeout as request parameters; the precision
 * from the model's name. What is wrong is named as the caller sent it ({@code inputs[class].datatype},
 * {@code parameters[count]}), and a field the generator's own validation later refuses is named the same way
 * through {@link InferCall#fieldNames()}.
 */
public final class InferRequests {

    /** The outputs a caller may ask for; without a list, images and seeds. */
    public enum Output {
        IMAGES, PIXELS, SEEDS;

        public String tensorName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Output> named(String name) {
            return Arrays.stream(values()).filter(o -> o.tensorName().equals(name)).findFirst();
        }
    }

    static final Set<Output> DEFAULT_OUTPUTS = EnumSet.of(Output.IMAGES, Output.SEEDS);
    /** What may come as an input tensor (or, alike, a request parameter). */
    static final List<String> INPUTS = List.of("class", "count", "seed", "steps");
    /** What may come only as a request parameter. */
    static final List<String> PARAMETERS = List.of("quality", "min_steps", "allowed_regions", "idempotency_key", "timeout");

    /** The request as the generator takes it, the outputs asked for, and how to name its fields for the caller. */
    public record InferCall(ServedModel model, String id, GenerateRequest request, Set<Output> outputs, Map<String, String> origins) {

        /** A {@link GenerateRequest} field's path, as the caller named what it came from. */
        public UnaryOperator<String> fieldNames() {
            return field -> {
                String exact = origins.get(field);
                if (exact != null) {
                    return exact;
                }
                int cut = field.indexOf('[');
                String head = cut < 0 ? field : field.substring(0, cut);
                return origins.getOrDefault(head, field);
            };
        }
    }

    /** Either a call, or what is wrong with the request. */
    public record Reading(Optional<InferCall> call, List<Violation> violations) {
    }

    private InferRequests() {
    }

    /**
     * @param callDeadline the gRPC call's deadline, where the caller set one: the work's deadline unless a
     *                     {@code timeout} parameter asks for an earlier one
     */
    public static Reading read(ModelInferRequest r, ServedModel model, Instant now, Optional<Instant> callDeadline) {
        Reader reader = new Reader(now);
        reader.read(r, model, callDeadline);
        if (!reader.violations.isEmpty()) {
            return new Reading(Optional.empty(), List.copyOf(reader.violations));
        }
        return new Reading(Optional.of(new InferCall(model, r.getId(), reader.request.build(), reader.outputs, Map.copyOf(reader.origins))), List.of());
    }

    /** One request's reading: the request built so far, what is wrong, where each field came from. */
    private static final class Reader {
        private final Instant now;
        private final GenerateRequest.Builder request = GenerateRequest.newBuilder();
        private final Quality.Builder quality = Quality.newBuilder();
        private final List<Violation> violations = new ArrayList<>();
        private final Map<String, String> origins = new HashMap<>();
        private final Set<Output> outputs = EnumSet.noneOf(Output.class);

        Reader(Instant now) {
            this.now = now;
        }

        void read(ModelInferRequest r, ServedModel model, Optional<Instant> callDeadline) {
            model.precision().ifPresent(p -> {
                quality.addAllowedPrecisions(ProtoVocabulary.toProto(p));
                origins.put("quality.allowed_precisions", "model_name");
            });
            Map<String, String> given = new HashMap<>();
            readInputs(r, given);
            r.getParametersMap().forEach((name, value) -> readParameter(name, value, given));
            if (!given.containsKey("class")) {
                violations.add(new Violation("inputs", "a class is required: an input tensor 'class' (an integer id, or BYTES "
                        + "holding the name) or a request parameter 'class'"));
            }
            Optional<Instant> deadline = callDeadline;
            if (r.containsParameters("timeout") && violations.stream().noneMatch(v -> v.field().equals("parameters[timeout]"))) {
                Instant asked = now.plus(Duration.of(r.getParametersOrThrow("timeout").getInt64Param(), ChronoUnit.MICROS));
                deadline = Optional.of(deadline.filter(d -> d.isBefore(asked)).orElse(asked));
                origins.put("deadline", "parameters[timeout]");
            } else {
                origins.put("deadline", "grpc-timeout");
            }
            deadline.ifPresent(d -> request.setDeadline(ProtoTime.timestamp(d)));
            request.setQuality(quality);
            readOutputs(r);
        }

        private void readInputs(ModelInferRequest r, Map<String, String> given) {
            boolean raw = r.getRawInputContentsCount() > 0;
            if (raw && r.getRawInputContentsCount() != r.getInputsCount()) {
                violations.add(new Violation("raw_input_contents", r.getRawInputContentsCount() + " entries for "
                        + r.getInputsCount() + " inputs: give one per input, in order, or none"));
                r.getInputsList().forEach(t -> given.putIfAbsent(t.getName(), "inputs[" + t.getName() + "]"));
                return;
            }
            for (int i = 0; i < r.getInputsCount(); i++) {
                InferInputTensor t = r.getInputs(i);
                String at = "inputs[" + t.getName() + "]";
                if (!INPUTS.contains(t.getName())) {
                    violations.add(new Violation("inputs[" + i + "].name", "'" + t.getName() + "' is not an input of the model; its inputs are " + INPUTS));
                    continue;
                }
                if (given.putIfAbsent(t.getName(), at) != null) {
                    violations.add(new Violation(at, "given twice"));
                    continue;
                }
                if (raw && t.hasContents()) {
                    violations.add(new Violation(at + ".contents", "set while the request carries raw_input_contents; give one or the other"));
                    continue;
                }
                long elements = t.getShapeList().stream().reduce(1L, (a, b) -> a * b);
                if (t.getShapeList().stream().anyMatch(d -> d < 0) || elements != 1) {
                    violations.add(new Violation(at + ".shape", t.getShapeList() + " holds " + elements + " elements; each input is "
                            + "one element (shape [1]): several images of one class are 'count', not a batch dimension"));
                    continue;
                }
                Optional<ByteString> rawContents = raw ? Optional.of(r.getRawInputContents(i)) : Optional.empty();
                try {
                    if (InferTensors.BYTES.equals(t.getDatatype()) && t.getName().equals("class")) {
                        List<ByteString> names = InferTensors.bytes(t.getContents(), rawContents);
                        if (one(names, at)) {
                            setClassName(names.get(0).toString(StandardCharsets.UTF_8), at);
                        }
                    } else if (InferTensors.isInteger(t.getDatatype())) {
                        List<Long> values = InferTensors.integers(t.getDatatype(), t.getContents(), rawContents);
                        if (one(values, at)) {
                            setInteger(t.getName(), values.get(0), at);
                        }
                    } else {
                        violations.add(new Violation(at + ".datatype", t.getDatatype() + " is not taken: an integer type"
                                + (t.getName().equals("class") ? ", or BYTES for the class's name" : "")));
                    }
                } catch (UnreadableTensor e) {
                    violations.add(new Violation(at, e.getMessage()));
                }
            }
        }

        private void readParameter(String name, InferParameter value, Map<String, String> given) {
            String at = "parameters[" + name + "]";
            if (INPUTS.contains(name)) {
                String before = given.putIfAbsent(name, at);
                if (before != null) {
                    violations.add(new Violation(at, "also given as " + before + "; give one"));
                } else if (name.equals("class") && value.hasStringParam()) {
                    setClassName(value.getStringParam(), at);
                } else if (value.hasInt64Param() || value.hasUint64Param()) {
                    long v = value.hasInt64Param() ? value.getInt64Param() : value.getUint64Param();
                    if (value.hasUint64Param() && v < 0) {
                        violations.add(new Violation(at, "above " + Long.MAX_VALUE));
                    } else {
                        setInteger(name, v, at);
                    }
                } else {
                    violations.add(new Violation(at, "must be an int64_param or uint64_param" + (name.equals("class") ? ", or a string_param naming the class" : "")));
                }
                return;
            }
            switch (name) {
                case "quality" -> {
                    Optional<QualityTier> tier = value.hasStringParam() ? tier(value.getStringParam()) : Optional.empty();
                    if (tier.isEmpty()) {
                        violations.add(new Violation(at, "must be a string_param: draft, standard or best"));
                    } else if (quality.hasSteps()) {
                        violations.add(new Violation(at, "given with steps; give one"));
                    } else {
                        quality.setTier(tier.get());
                        origins.put("quality.tier", at);
                    }
                }
                case "min_steps" -> {
                    if (!value.hasInt64Param() || value.getInt64Param() < 0 || value.getInt64Param() > 0xFFFF_FFFFL) {
                        violations.add(new Violation(at, "must be an int64_param of 0 or more"));
                    } else {
                        quality.setMinSteps((int) value.getInt64Param());
                        origins.put("quality.min_steps", at);
                    }
                }
                case "allowed_regions" -> {
                    if (!value.hasStringParam()) {
                        violations.add(new Violation(at, "must be a string_param: regions separated by commas"));
                    } else {
                        request.addAllAllowedRegions(Arrays.stream(value.getStringParam().split(",", -1)).map(String::strip).toList());
                        origins.put("allowed_regions", at);
                    }
                }
                case "idempotency_key" -> {
                    if (!value.hasStringParam()) {
                        violations.add(new Violation(at, "must be a string_param"));
                    } else {
                        request.setIdempotencyKey(value.getStringParam());
                        origins.put("idempotency_key", at);
                    }
                }
                case "timeout" -> {
                    if (!value.hasInt64Param() || value.getInt64Param() <= 0) {
                        violations.add(new Violation(at, "must be an int64_param: microseconds, more than 0"));
                    }
                }
                default -> violations.add(new Violation(at, "not taken; request parameters are " + INPUTS + " and " + PARAMETERS));
            }
        }

        private void readOutputs(ModelInferRequest r) {
            for (int i = 0; i < r.getOutputsCount(); i++) {
                ModelInferRequest.InferRequestedOutputTensor o = r.getOutputs(i);
                Optional<Output> output = Output.named(o.getName());
                if (output.isEmpty()) {
                    violations.add(new Violation("outputs[" + i + "].name", "'" + o.getName() + "' is not an output of the model; its outputs are "
                            + Arrays.stream(Output.values()).map(Output::tensorName).toList()));
                } else if (!outputs.add(output.get())) {
                    violations.add(new Violation("outputs[" + i + "].name", "'" + o.getName() + "' asked for twice"));
                }
                for (String p : new LinkedHashSet<>(o.getParametersMap().keySet())) {
                    violations.add(new Violation("outputs[" + i + "].parameters[" + p + "]", "not taken: outputs have no parameters"));
                }
            }
            if (outputs.isEmpty()) {
                outputs.addAll(DEFAULT_OUTPUTS);
            }
        }

        private boolean one(List<?> elements, String at) {
            if (elements.size() != 1) {
                violations.add(new Violation(at + ".contents", elements.size() + " elements for a shape of one"));
                return false;
            }
            return true;
        }

        private void setClassName(String name, String at) {
            request.setClassName(name);
            origins.put("class_name", at);
            origins.put("image_class", at);
        }

        private void setInteger(String name, long value, String at) {
            boolean seed = name.equals("seed");
            if (value < 0 || (!seed && value > 0xFFFF_FFFFL)) {
                violations.add(new Violation(at, value + " is outside 0.." + (seed ? Long.MAX_VALUE : 0xFFFF_FFFFL)));
                return;
            }
            switch (name) {
                case "class" -> {
                    request.setClassId((int) value);
                    origins.put("class_id", at);
                    origins.put("image_class", at);
                }
                case "count" -> {
                    request.setCount((int) value);
                    origins.put("count", at);
                }
                case "seed" -> request.setSeed(value);
                default -> {
                    if (quality.hasTier()) {
                        violations.add(new Violation(at, "given with a quality tier; give one"));
                        return;
                    }
                    quality.setSteps((int) value);
                    origins.put("quality.steps", at);
                }
            }
        }

        private static Optional<QualityTier> tier(String name) {
            return switch (name.strip().toLowerCase(Locale.ROOT)) {
                case "draft" -> Optional.of(QualityTier.QUALITY_TIER_DRAFT);
                case "standard" -> Optional.of(QualityTier.QUALITY_TIER_STANDARD);
                case "best" -> Optional.of(QualityTier.QUALITY_TIER_BEST);
                default -> Optional.empty();
            };
        }
    }
}

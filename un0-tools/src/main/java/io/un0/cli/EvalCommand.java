package io.un0.cli;

import io.un0.bench.FiguresFile;
import io.un0.bench.Machine;
import io.un0.data.FashionMnist;
import io.un0.engine.Un0Engine;
import io.un0.model.ModelPackage;
import io.un0.quality.Classifier;
import io.un0.quality.QualityEvaluator;
import io.un0.quality.QualityEvaluator.Quality;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code un0 eval}: classifier accuracy and the 1-step quality of both precisions on 10,000 images. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measure the classifier's test accuracy and 1-step class fidelity and FD-FMNIST of the fp32 and int8 generators.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--samples", defaultValue = "10000", description = "Generated images per measurement (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--steps", defaultValue = "1")
    int steps;

    @Mixin
    DataSelection data;

    @Option(names = "--figures", defaultValue = "docs/bench/un0.json", description = "Flat JSON of figures to merge into (default: ${DEFAULT-VALUE}).")
    Path figures;

    @Mixin
    EngineSelection engine;

    @Override
    public Integer call() throws Exception {
        FashionMnist test = data.load(FashionMnist.Split.TEST);
        ModelPackage classifierPackage = engine.open(ModelPackage.CLASSIFIER);
        try (Classifier classifier = new Classifier(classifierPackage, engine.options())) {
            QualityEvaluator evaluator = new QualityEvaluator(classifier, test);
            System.out.printf("classifier test accuracy %.4f (ONNX Runtime, %d images)%n", evaluator.testAccuracy(), test.count());
            classifierPackage.withFigures(Map.of("test_accuracy", evaluator.testAccuracy()));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("classifier_test_accuracy", evaluator.testAccuracy());
            out.put("eval_samples", samples);
            for (String name : new String[] {ModelPackage.GENERATOR_FP32, ModelPackage.GENERATOR_INT8}) {
                ModelPackage pkg = engine.open(name);
                try (Un0Engine un0 = Un0Engine.open(pkg, engine.options())) {
                    Quality q = evaluator.evaluate(un0, steps, samples, 1_000_000L);
                    String p = un0.manifest().precision();
                    System.out.printf("%s, %d step(s): class fidelity %.4f, FD-FMNIST %.3f (%d images; not Inception FID)%n",
                            p, steps, q.fidelity(), q.fd(), samples);
                    out.put("fidelity_" + steps + "step_" + p, q.fidelity());
                    out.put("fd_" + steps + "step_" + p, q.fd());
                    pkg.withFigures(Map.of("fidelity_" + steps + "step", q.fidelity(), "fd_fmnist_" + steps + "step", q.fd(),
                            "quality_samples", samples));
                }
            }
            out.put("machine", Machine.describe());
            FiguresFile.merge(figures, out);
            System.out.println("figures merged into " + figures);
        }
        return 0;
    }
}

package io.un0.quality;

import io.un0.data.FashionMnist;
import io.un0.engine.EngineOptions;
import io.un0.engine.Un0Engine;
import io.un0.model.ModelPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The evaluator on the real test set with the shipped judge; small samples, so the bounds are loose on purpose. */
class QualityEvaluatorTest {

    private static final int SAMPLES = 300;
    private static FashionMnist test;
    private static FashionMnist train;

    @BeforeAll
    static void data() {
        assumeTrue(FashionMnist.isInstalled(FashionMnist.defaultDir()),
                "Fashion-MNIST is not installed in " + FashionMnist.defaultDir() + ": " + FashionMnist.INSTALL_HINT);
        test = FashionMnist.load(FashionMnist.defaultDir(), FashionMnist.Split.TEST);
        train = FashionMnist.load(FashionMnist.defaultDir(), FashionMnist.Split.TRAIN);
    }

    @Test
    void measuresTheJudgeTheFloorAndAGeneratorAtEqualSampleSizes() {
        try (Judge judge = new Judge(ModelPackage.bundled(ModelPackage.JUDGE), EngineOptions.cpu(2));
             Un0Engine fp32 = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_FP32), EngineOptions.cpu(1))) {
            QualityEvaluator evaluator = new QualityEvaluator(judge, test);
            assertTrue(evaluator.testAccuracy() > 0.9, "judge accuracy " + evaluator.testAccuracy());
            assertEquals(0, evaluator.deadFeatures(), "dead judge features");

            QualityEvaluator.RealFloor floor = evaluator.realFloor(train, SAMPLES, 11);
            QualityEvaluator.Quality oneStep = evaluator.evaluate(fp32, 1, SAMPLES, 11);
            assertEquals(SAMPLES, oneStep.samples());
            assertTrue(oneStep.fidelity() > 0.75, "1-step fidelity " + oneStep.fidelity());
            // Real training images sit closer to the test images than generated ones do.
            assertTrue(floor.fd() < oneStep.fd(), "floor " + floor.fd() + " against 1-step " + oneStep.fd());
            for (double share : new double[] {floor.manifold().precision(), floor.manifold().recall(),
                    oneStep.manifold().precision(), oneStep.manifold().recall()}) {
                assertTrue(share > 0 && share <= 1, "precision and recall are shares: " + share);
            }
            assertThrows(IllegalArgumentException.class, () -> evaluator.evaluate(fp32, 1, test.count() + 1, 11),
                    "more generated images than test images cannot be compared at equal sizes");
        }
    }

    @Test
    void theRealSheetHasAColumnPerClassAndTheAskedRows() throws IOException {
        BufferedImage sheet = ImageIO.read(new ByteArrayInputStream(ClassSheets.real(test, 3)));
        assertEquals(10 * 58 - 2, sheet.getWidth());
        assertEquals(3 * 58 - 2, sheet.getHeight());
    }
}

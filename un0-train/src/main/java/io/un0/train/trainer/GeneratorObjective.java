package io.un0.train.trainer;

import io.un0.model.ModelPackage;
import io.un0.model.Velocity;

import java.util.Arrays;
import java.util.Locale;

/** What a generator is trained to do, and so what its network predicts. */
public enum GeneratorObjective {
    /** Shortcut models: flow matching at the smallest step plus self-consistency of larger steps. Un-0. */
    SHORTCUT(Velocity.AVERAGE, ModelPackage.UN0_MODEL),
    /** Plain conditional flow matching, no one-step terms: the iterative baseline Un-0 is compared with. */
    FLOW_MATCHING(Velocity.INSTANTANEOUS, ModelPackage.BASELINE_MODEL),
    /**
     * Reflow (Liu et al., "Flow Straight and Fast", 2022): Un-0's network learns the straight line from each noise to
     * the image a teacher generator makes from it ({@link TeacherPairs}). On a straight line the average velocity over
     * any step is the same {@code x1 - x0}, so every step size has one exact target and one step can be as good as
     * the teacher's many.
     */
    REFLOW(Velocity.AVERAGE, ModelPackage.UN0_MODEL),
    /**
     * Reflow plus a critic: the one-step images are also scored by a {@link Discriminator} trained beside the generator
     * against real training images, and the generator learns to raise that score. Averaging over what the network
     * cannot tell apart makes a regression's one step blurred; the critic penalises blur, which the squared error does
     * not (the adversarial fine-tunes of one-step generators: Sauer et al., "Adversarial Diffusion Distillation", 2023).
     */
    ADVERSARIAL(Velocity.AVERAGE, ModelPackage.UN0_MODEL);

    private final Velocity velocity;
    private final String packageName;

    GeneratorObjective(Velocity velocity, String packageName) {
        this.velocity = velocity;
        this.packageName = packageName;
    }

    /** Whether it trains on a teacher's (noise, image) pairs ({@link TeacherPairs}) rather than on noise and data apart. */
    public boolean trainsOnPairs() {
        return this == REFLOW || this == ADVERSARIAL;
    }

    public Velocity velocity() {
        return velocity;
    }

    /** The model name its packages carry; the folders add the precision ({@code -fp32}, {@code -int8}). */
    public String packageName() {
        return packageName;
    }

    /** As written on the command line: {@code shortcut}, {@code flow-matching}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static GeneratorObjective parse(String id) {
        return Arrays.stream(values()).filter(o -> o.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown objective '" + id + "'; known: shortcut, flow-matching, reflow, adversarial"));
    }
}

package io.un0.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a generator's network predicts, and so how a sampler integrates it from noise (t = 0) to an image (t = 1).
 */
public enum Velocity {
    /**
     * The average velocity over a step of size d, which the network takes as its input (shortcut models): K steps
     * of Euler with d = 1/K are exact for a perfect network, so one step makes an image. Un-0.
     */
    AVERAGE,
    /**
     * The instantaneous velocity of the flow (plain flow matching; the network's d input is always 0): K steps of any
     * integrator approximate the flow, better as K grows. The iterative baseline Un-0 replaces.
     */
    INSTANTANEOUS;

    /** What the network's step-size input d is told for a step of size {@code stepSize}: the size, or 0. */
    public float stepSizeInput(float stepSize) {
        return this == AVERAGE ? stepSize : 0f;
    }

    /**
     * Whether a sampler may take {@code steps} steps: an average-velocity network only the step sizes it was trained
     * for ({@code trainedSteps}); an instantaneous one any count from 1 to the largest of them, since its input never
     * names the step size.
     */
    public boolean allowsSteps(int steps, List<Integer> trainedSteps) {
        return this == AVERAGE ? trainedSteps.contains(steps) : steps >= 1 && steps <= largest(trainedSteps);
    }

    /** The step counts {@link #allowsSteps} accepts, in words, for a caller told that its count is not one of them. */
    public String allowedSteps(List<Integer> trainedSteps) {
        return this == AVERAGE ? "one of " + trainedSteps : "any count from 1 to " + largest(trainedSteps);
    }

    private static int largest(List<Integer> trainedSteps) {
        return trainedSteps.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Velocity parse(String id) {
        return Arrays.stream(values()).filter(v -> v.id().equals(id)).findFirst()
                .orElseThrow(() -> new ModelPackageException("unknown velocity '" + id + "'; known: average, instantaneous"));
    }
}

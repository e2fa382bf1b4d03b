package io.un0.train.djl;

/**
 * Training produced a NaN or an infinity. The message names the step and the op, layer or parameter where it first
 * appeared, so that a broken kernel, a bad input and unstable arithmetic can be told apart.
 */
public final class TrainingDivergedException extends ArithmeticException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}

package io.un0.sim.optimum;

/**
 * The offline optimum: where the work ran, and what could not run at all.
 *
 * @param images       images run in pool p during hour h, as {@code images[p][h]}
 * @param unserved     images of each demand, in the order given, that fit nowhere in its window
 * @param grams        total grams CO2e of the placed images
 * @param servedImages total images placed
 */
public record Placement(double[][] images, double[] unserved, double grams, double servedImages) {
}

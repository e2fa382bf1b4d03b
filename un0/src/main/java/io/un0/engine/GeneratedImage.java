package io.un0.engine;

/**
 * One generated image.
 *
 * @param pixels row-major grey levels in [0, 1], {@code size × size}
 */
public record GeneratedImage(int label, long seed, int steps, int size, float[] pixels) {
}

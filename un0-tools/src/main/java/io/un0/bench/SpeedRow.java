package io.un0.bench;

/** Speed and modelled energy of one configuration, per image. */
public record SpeedRow(String precision, int steps, int batch, int images, double msPerImage, double cpuSecondsPerImage,
                       long flopsPerImage, double joulesPerImage) {
}

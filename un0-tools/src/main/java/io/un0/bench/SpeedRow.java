package io.un0.bench;

/** Speed and modelled energy of one setting at one batch size, per image. */
public record SpeedRow(Setting setting, int batch, int images, double msPerImage, double cpuSecondsPerImage,
                       long flopsPerImage, double joulesPerImage) {
}

package io.un0.worker;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class WorkShareTest {

    @Test
    void splitsByImagesTimesSteps() {
        assertArrayEquals(new double[] {5, 5}, WorkShare.split(10, List.of(4, 2), List.of(1, 2)), 1e-12);
        assertArrayEquals(new double[] {2, 6}, WorkShare.split(8, List.of(1, 3), List.of(4, 4)), 1e-12);
    }

    @Test
    void noWorkMeansNoShare() {
        assertArrayEquals(new double[] {0}, WorkShare.split(3, List.of(0), List.of(1)), 0);
    }
}

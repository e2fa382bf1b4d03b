package io.un0.train.djl;

import io.un0.train.djl.ActivationRanges.Observed;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationRangesTest {

    /** Batches of consecutive integers, 0 to total - 1, as a tensor seen batch after batch. */
    private static ActivationRanges observedInBatches(long seed, int batches, int batchSize) {
        ActivationRanges ranges = new ActivationRanges(seed);
        for (int b = 0; b < batches; b++) {
            float[] values = new float[batchSize];
            for (int i = 0; i < batchSize; i++) {
                values[i] = b * batchSize + i;
            }
            ranges.observe("conv", values, new float[] {-b});
        }
        return ranges;
    }

    @Test
    void keepsTheExactRangeWithZeroInIt() {
        ActivationRanges ranges = observedInBatches(1, 3, 10);
        assertEquals(new ActivationRanges.Range(0f, 29f), ranges.input("conv").span());
        assertEquals(new ActivationRanges.Range(-2f, 0f), ranges.output("conv").span());
        assertEquals(30, ranges.input("conv").sample().length); // fewer values than the sample holds: all of them
    }

    @Test
    void samplesEveryBatchAlikeOnceTheSampleIsFull() {
        int batches = 8;
        int batchSize = 100_000;
        Observed seen = observedInBatches(2, batches, batchSize).input("conv");
        float[] sample = seen.sample();
        assertEquals(ActivationRanges.SAMPLE_SIZE, sample.length);
        Set<Float> distinct = new HashSet<>();
        int[] perBatch = new int[batches];
        for (float v : sample) {
            distinct.add(v);
            perBatch[(int) v / batchSize]++;
        }
        assertEquals(sample.length, distinct.size(), "a value is kept at most once");
        double expected = (double) sample.length / batches;
        for (int count : perBatch) {
            // a uniform sample puts 1/8 in each batch; binomial spread is about 0.8 % of that here
            assertTrue(Math.abs(count - expected) < 0.05 * expected, "batch share " + count + " against " + expected);
        }
    }

    @Test
    void theSameSeedSamplesTheSameValues() {
        assertArrayEquals(observedInBatches(3, 4, 50_000).input("conv").sample(), observedInBatches(3, 4, 50_000).input("conv").sample());
    }

    @Test
    void anUnseenConvolutionIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ActivationRanges(1).input("down.1"));
        assertTrue(e.getMessage().contains("down.1"));
    }
}

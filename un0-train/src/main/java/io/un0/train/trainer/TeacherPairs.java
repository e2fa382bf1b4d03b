package io.un0.train.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.un0.data.FashionMnist;
import io.un0.engine.GeneratedImage;
import io.un0.engine.Solver;
import io.un0.engine.Un0Engine;
import io.un0.train.net.HostTensor;
import io.un0.train.net.ParameterFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * (noise, image) pairs drawn from a teacher generator, for reflow: pair i is the image the teacher makes from the
 * noise of seed {@code seed + i} for class {@code i % classes}, so only the images are stored and the noise is drawn
 * again, bit for bit, with {@link Un0Engine#noise}. Images are in the trainer's range [-1, 1].
 */
public final class TeacherPairs {

    private static final String IMAGES = "images";
    private static final String FILE = "pairs.bin";
    private static final String INFO = "pairs.json";
    private static final int BATCH = 128;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Which teacher made the pairs and how: a saved set is reused only for the same spec. */
    public record Spec(String teacher, String solver, int steps, int count, long seed) {
        public Spec {
            if (count < 1 || steps < 1) {
                throw new IllegalArgumentException("invalid teacher pairs " + this);
            }
            Solver.parse(solver);
        }
    }

    private final Spec spec;
    private final float[] images;

    private TeacherPairs(Spec spec, float[] images) {
        this.spec = spec;
        this.images = images;
    }

    public Spec spec() {
        return spec;
    }

    public int count() {
        return spec.count();
    }

    public int label(int pair) {
        return pair % FashionMnist.CLASS_NAMES.size();
    }

    /** Pair {@code pair}'s noise into {@code x0} and image into {@code x1}, both at {@code offset}. */
    public void copy(int pair, float[] x0, float[] x1, int offset) {
        Un0Engine.noise(spec.seed() + pair, x0, offset, FashionMnist.PIXELS);
        System.arraycopy(images, pair * FashionMnist.PIXELS, x1, offset, FashionMnist.PIXELS);
    }

    /** The pairs saved in {@code dir} for this spec, or new ones from the teacher (then saved there). */
    public static TeacherPairs loadOrMake(Path dir, Spec spec, Un0Engine teacher, PrintStream log) throws IOException {
        Path file = dir.resolve(FILE);
        Path info = dir.resolve(INFO);
        if (Files.exists(file) && Files.exists(info)) {
            Spec saved = JSON.readValue(info.toFile(), Spec.class);
            if (saved.equals(spec)) {
                log.println("teacher pairs: reusing " + spec.count() + " from " + file);
                return new TeacherPairs(spec, ParameterFile.read(file).get(IMAGES).data());
            }
            throw new IllegalArgumentException("the teacher pairs in " + dir + " were made with " + saved + ", not " + spec
                    + ": use another folder or the same settings");
        }
        TeacherPairs made = make(spec, teacher, log);
        Files.createDirectories(dir);
        ParameterFile.write(file, Map.of(IMAGES, new HostTensor(new int[] {spec.count(), FashionMnist.PIXELS}, made.images)));
        JSON.writeValue(info.toFile(), spec);
        return made;
    }

    static TeacherPairs make(Spec spec, Un0Engine teacher, PrintStream log) {
        float[] images = new float[spec.count() * FashionMnist.PIXELS];
        Solver solver = Solver.parse(spec.solver());
        int batches = (spec.count() + BATCH - 1) / BATCH;
        Progress progress = new Progress("teacher pairs", 0, batches, log);
        AtomicInteger done = new AtomicInteger();
        // Batches in parallel on one-thread sessions, as the evaluator runs them; each image depends only on its seed.
        IntStream.range(0, batches).parallel().forEach(batch -> {
            int from = batch * BATCH;
            int m = Math.min(BATCH, spec.count() - from);
            int[] labels = new int[m];
            long[] seeds = new long[m];
            for (int i = 0; i < m; i++) {
                labels[i] = (from + i) % FashionMnist.CLASS_NAMES.size();
                seeds[i] = spec.seed() + from + i;
            }
            List<GeneratedImage> out = teacher.generate(labels, seeds, spec.steps(), solver);
            for (int i = 0; i < m; i++) {
                float[] grey = out.get(i).pixels();
                int at = (from + i) * FashionMnist.PIXELS;
                for (int p = 0; p < grey.length; p++) {
                    images[at + p] = 2f * grey[p] - 1f;
                }
            }
            int finished = done.incrementAndGet();
            synchronized (progress) {
                progress.update(finished, Double.NaN);
            }
        });
        return new TeacherPairs(spec, images);
    }
}

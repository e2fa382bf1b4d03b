package io.un0.train.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.un0.data.FashionMnist;
import io.un0.engine.Solver;
import io.un0.engine.Un0Engine;
import io.un0.sampling.BalancedSamples;
import io.un0.train.net.HostTensor;
import io.un0.train.net.ParameterFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * (noise, image) pairs drawn from a teacher generator, for reflow: pair i is the image the teacher makes from the
 * noise of seed {@code seed + i} for class {@code i % classes} ({@link BalancedSamples}), so only the images are
 * stored and the noise is drawn again, bit for bit, with {@link Un0Engine#noise}. Images are in the trainer's range [-1, 1].
 */
public final class TeacherPairs {

    private static final String IMAGES = "images";
    private static final String FILE = "pairs.bin";
    private static final String INFO = "pairs.json";
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
        return BalancedSamples.label(pair, FashionMnist.CLASS_NAMES.size());
    }

    /** Pair {@code pair}'s noise into {@code x0} and image into {@code x1}, both at {@code offset}. */
    public void copy(int pair, float[] x0, float[] x1, int offset) {
        Un0Engine.noise(spec.seed() + pair, x0, offset, FashionMnist.PIXELS);
        System.arraycopy(images, pair * FashionMnist.PIXELS, x1, offset, FashionMnist.PIXELS);
    }

    /** How the pairs saved in {@code dir} were made, if any are: what an export of a reflow checkpoint names as its teacher. */
    public static Optional<Spec> saved(Path dir) throws IOException {
        Path info = dir.resolve(INFO);
        return Files.exists(info) ? Optional.of(JSON.readValue(info.toFile(), Spec.class)) : Optional.empty();
    }

    /** The pairs saved in {@code dir} for this spec, or new ones from the teacher (then saved there). */
    public static TeacherPairs loadOrMake(Path dir, Spec spec, Un0Engine teacher, PrintStream log) throws IOException {
        Path file = dir.resolve(FILE);
        Optional<Spec> saved = Files.exists(file) ? saved(dir) : Optional.empty();
        if (saved.isPresent()) {
            if (saved.get().equals(spec)) {
                log.println("teacher pairs: reusing " + spec.count() + " from " + file);
                return new TeacherPairs(spec, ParameterFile.read(file).get(IMAGES).data());
            }
            throw new IllegalArgumentException("the teacher pairs in " + dir + " were made with " + saved.get() + ", not " + spec
                    + ": use another folder or the same settings");
        }
        TeacherPairs made = make(spec, teacher, log);
        Files.createDirectories(dir);
        ParameterFile.write(file, Map.of(IMAGES, new HostTensor(new int[] {spec.count(), FashionMnist.PIXELS}, made.images)));
        JSON.writeValue(dir.resolve(INFO).toFile(), spec);
        return made;
    }

    static TeacherPairs make(Spec spec, Un0Engine teacher, PrintStream log) {
        Progress progress = new Progress("teacher pairs", 0, BalancedSamples.batches(spec.count()), log);
        float[] images = BalancedSamples.generate(teacher, Solver.parse(spec.solver()), spec.steps(), spec.count(), spec.seed(),
                finished -> {
                    synchronized (progress) {
                        progress.update(finished, Double.NaN);
                    }
                });
        for (int p = 0; p < images.length; p++) {
            images[p] = 2f * images[p] - 1f;   // grey levels to the trainer's range
        }
        return new TeacherPairs(spec, images);
    }
}

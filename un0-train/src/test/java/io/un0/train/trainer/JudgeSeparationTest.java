package io.un0.train.trainer;

import io.un0.model.ModelPackage;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The judge never enters a generator's training loss, by construction: nothing that a generator trainer's code can
 * reach (following every class named in the compiled classes' constant pools, transitively, within our packages)
 * names the judge's network, its trainer, the evaluator's classes that load it, or the judge's package.
 */
class JudgeSeparationTest {

    /** Where a generator learns: every trainer of a generator belongs here. */
    private static final Set<Class<?>> GENERATOR_TRAINERS = Set.of(GeneratorTrainer.class);
    private static final Pattern OUR_CLASS = Pattern.compile("io/un0/[A-Za-z0-9_/$]+");

    @Test
    void noGeneratorTrainerCanReachTheJudge() throws IOException {
        for (Class<?> trainer : GENERATOR_TRAINERS) {
            Set<String> reached = reachable(internalName(trainer));
            assertTrue(reached.contains("io/un0/train/net/Un0Net"), "the walk follows references: " + reached);
            for (String name : reached) {
                assertFalse(name.startsWith("io/un0/quality/"), trainer.getSimpleName() + " reaches the evaluator's " + name);
                assertFalse(name.equals("io/un0/train/net/JudgeNet") || name.equals("io/un0/train/trainer/JudgeTrainer"),
                        trainer.getSimpleName() + " reaches " + name);
                if (!name.equals("io/un0/model/ModelPackage")) {   // it declares the name, it does not load by it
                    assertFalse(strings(name).contains(ModelPackage.JUDGE), name + " names the judge's package");
                }
            }
        }
    }

    @Test
    void theWalkFindsTheJudgeWhereItIsUsed() throws IOException {
        // The same walk from the judge's own trainer does reach it: a check that cannot fail would prove nothing.
        assertTrue(reachable(internalName(JudgeTrainer.class)).contains("io/un0/train/net/JudgeNet"));
    }

    private static String internalName(Class<?> c) {
        return c.getName().replace('.', '/');
    }

    private static Set<String> reachable(String start) throws IOException {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(start);
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (!seen.add(name)) {
                continue;
            }
            for (String s : strings(name)) {
                Matcher m = OUR_CLASS.matcher(s);
                while (m.find()) {
                    if (classFile(m.group()) != null) {
                        todo.add(m.group());
                    }
                }
            }
        }
        return seen;
    }

    private static InputStream classFile(String internalName) {
        return JudgeSeparationTest.class.getClassLoader().getResourceAsStream(internalName + ".class");
    }

    /** The UTF-8 entries of a class file's constant pool: class names, descriptors, signatures and string constants. */
    private static Set<String> strings(String internalName) throws IOException {
        Set<String> out = new TreeSet<>();
        try (InputStream raw = classFile(internalName); DataInputStream in = new DataInputStream(raw)) {
            in.readInt();                      // magic
            in.readUnsignedShort();            // minor
            in.readUnsignedShort();            // major
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> out.add(in.readUTF());
                    case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                    case 15 -> in.skipBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++;                   // longs and doubles take two slots
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag + " in " + internalName);
                }
            }
        }
        return out;
    }
}

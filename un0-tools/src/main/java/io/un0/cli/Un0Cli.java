package io.un0.cli;

import io.un0.data.DatasetException;
import io.un0.engine.InvalidRequestException;
import io.un0.model.ModelPackageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The serving-side {@code un0} command: generate, eval, bench. The trainer's command adds train. */
@Command(name = "un0", mixinStandardHelpOptions = true, subcommands = {GenerateCommand.class, EvalCommand.class, BenchCommand.class},
        description = "Un-0: a one-step image generator on ONNX Runtime.")
public final class Un0Cli {

    public static void main(String[] args) {
        System.exit(run(new Un0Cli(), args));
    }

    /**
     * Runs a command line; known problems print their message alone, not a stack trace: bad input exits 2, arithmetic
     * that went non-finite (a diverged training run, whose message says where) exits 1.
     */
    public static int run(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof InvalidRequestException || e instanceof ModelPackageException || e instanceof DatasetException
                    || e instanceof IllegalArgumentException) {
                line.getErr().println("un0: " + e.getMessage());
                return 2;
            }
            if (e instanceof ArithmeticException) {
                line.getErr().println("un0: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }
}

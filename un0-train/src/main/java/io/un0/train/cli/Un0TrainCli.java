package io.un0.train.cli;

import io.un0.cli.BenchCommand;
import io.un0.cli.EvalCommand;
import io.un0.cli.GenerateCommand;
import io.un0.cli.Un0Cli;
import picocli.CommandLine.Command;

/** The full {@code un0} command: training on top of everything the serving library's command offers. */
@Command(name = "un0", mixinStandardHelpOptions = true, subcommands = {TrainCommand.class, TrainJudgeCommand.class, GenerateCommand.class, EvalCommand.class, BenchCommand.class},
        description = "Un-0: a one-step image generator, trained and served in Java.")
public final class Un0TrainCli {

    public static void main(String[] args) {
        System.exit(Un0Cli.run(new Un0TrainCli(), args));
    }
}

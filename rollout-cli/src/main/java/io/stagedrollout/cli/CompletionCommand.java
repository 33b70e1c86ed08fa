package io.stagedrollout.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints picocli's completion script for every command and option (bash; zsh loads it through bashcompinit). */
@Command(name = "completion", description = "Print a shell completion script for rollout's commands and options. "
        + "bash: source <(rollout completion bash), or save it in ~/.local/share/bash-completion/completions/rollout; "
        + "zsh: the same script (it loads bashcompinit).")
final class CompletionCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = "bash", paramLabel = "SHELL", description = "bash (default) or zsh.")
    String shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            spec.commandLine().getErr().println("rollout completion: unknown shell '" + new io.stagedrollout.core.plan.Problem("", 0, shell).message()
                    + "'; use bash or zsh");
            return ExitCode.INVALID;
        }
        spec.commandLine().getOut().print(AutoComplete.bash("rollout", RolloutCommand.full()));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}

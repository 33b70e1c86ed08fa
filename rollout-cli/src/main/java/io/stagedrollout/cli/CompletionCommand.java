package io.stagedrollout.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Model.CommandSpec;

/** Prints picocli's completion script for every command and option (bash; zsh loads it through bashcompinit). */
final class CompletionCommand implements Callable<Integer>, CommandModel.Declared {
    String shell;
    CommandSpec spec;

    @Override
    public void declare(CommandModel m) {
        m.command("completion", "Print a shell completion script for rollout's commands and options. "
                + "bash: source <(rollout completion bash), or save it in ~/.local/share/bash-completion/completions/rollout; "
                + "zsh: the same script (it loads bashcompinit).");
        spec = m.spec;
        m.parameter(0, "SHELL", "bash (default) or zsh.").optional().defaultValue("bash").toText(v -> shell = v);
    }

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

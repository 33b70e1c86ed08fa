package io.stagedrollout.cli;

/** Entry point of the {@code rollout} JAR. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        WarmUp.start(RolloutCommand.commandWord(args));
        // the JSON contract is UTF-8 whatever the locale of the CI runner
        System.setOut(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, java.nio.charset.StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, java.nio.charset.StandardCharsets.UTF_8));
        System.exit(RolloutCommand.execute(args));
    }
}

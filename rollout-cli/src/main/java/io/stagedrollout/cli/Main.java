package io.stagedrollout.cli;

/** Entry point of the {@code rollout} JAR. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(RolloutCommand.execute(args));
    }
}

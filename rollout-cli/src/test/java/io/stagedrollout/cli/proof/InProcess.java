package io.stagedrollout.cli.proof;

import io.stagedrollout.cli.RolloutCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the CLI's command line in this JVM (the same picocli tree and handlers as the JAR's main, minus
 * {@code System.exit}), for checks that would need hundreds of JVM starts. Not thread-safe: it swaps System.out/err.
 */
final class InProcess {
    private InProcess() {}

    static synchronized Cli.Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = RolloutCommand.execute(args);
            System.out.flush();
            System.err.flush();
            return new Cli.Result(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}

package io.stagedrollout.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The terminal's width, for the redrawn progress line: {@code stty size} on the controlling terminal, asked again
 * after the terminal is resized (SIGWINCH); else {@code $COLUMNS}; else 80.
 */
final class TerminalColumns implements IntSupplier {
    private final Map<String, String> env;
    private volatile int columns = -1;

    TerminalColumns(Map<String, String> env) {
        this.env = env;
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> columns = -1);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no SIGWINCH here (Windows): the width is asked once
        }
    }

    @Override
    public int getAsInt() {
        int c = columns;
        if (c < 0) columns = c = ask();
        return c;
    }

    private int ask() {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
                String[] rowsColumns = answer.split("\\s+");
                if (rowsColumns.length == 2 && Integer.parseInt(rowsColumns[1]) > 0) return Integer.parseInt(rowsColumns[1]);
            }
        } catch (Exception e) {
            // no stty, no terminal: fall through
        }
        try {
            int fromEnv = Integer.parseInt(env.getOrDefault("COLUMNS", "").trim());
            if (fromEnv > 0) return fromEnv;
        } catch (NumberFormatException e) {
            // not a number
        }
        return 80;
    }
}

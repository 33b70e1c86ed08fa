package io.stagedrollout.cli.proof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What still runs of a rollout's effects: every live process whose ROLLOUT_EFFECT tag names the key. Linux /proc. */
final class Effects {
    private Effects() {}

    static boolean available() {
        return Files.isDirectory(Path.of("/proc/self")) && Files.isExecutable(Path.of("/usr/bin/setsid"));
    }

    /** Live (not zombie) processes tagged {@code kind:service/environment:…}, e.g. {@code deploy:shop/a1:}. */
    static List<Long> running(String tagPrefix) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                try {
                    String stat = Files.readString(p.resolve("stat"), StandardCharsets.ISO_8859_1);
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if (state == 'Z' || state == 'X') continue;
                    String env = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
                    for (String entry : env.split("\0")) {
                        if (entry.startsWith("ROLLOUT_EFFECT=" + tagPrefix)) out.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException gone) {
                    // exited meanwhile, or not ours
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}

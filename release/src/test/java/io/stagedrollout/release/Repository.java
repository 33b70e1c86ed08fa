package io.stagedrollout.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find the repository and the built release, and the version they are about. */
final class Repository {
    private Repository() {}

    static Path root() {
        return Path.of(System.getProperty("repository.root", "..")).toAbsolutePath().normalize();
    }

    static Path releaseDir() {
        return Path.of(System.getProperty("release.dir", "target")).toAbsolutePath().normalize();
    }

    /** The Maven project version, e.g. 0.1.0-SNAPSHOT. */
    static String projectVersion() {
        return System.getProperty("project.version", "0.1.0-SNAPSHOT");
    }

    /** The version the docs name: the project version without -SNAPSHOT. */
    static String releaseVersion() {
        return projectVersion().replace("-SNAPSHOT", "");
    }

    static String read(String relative) throws IOException {
        return Files.readString(root().resolve(relative), StandardCharsets.UTF_8);
    }

    /** The fenced code block that follows {@code <!-- marker -->} in a Markdown file. */
    static String block(String markdownFile, String marker) throws IOException {
        String text = read(markdownFile);
        int at = text.indexOf("<!-- " + marker + " -->");
        if (at < 0) throw new AssertionError(markdownFile + " has no <!-- " + marker + " --> block");
        int open = text.indexOf("```", at);
        int start = text.indexOf('\n', open) + 1;
        int end = text.indexOf("```", start);
        return text.substring(start, end);
    }
}

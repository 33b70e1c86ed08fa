package io.stagedrollout.core.action;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;

/**
 * What actions may use from the world. {@code env} is the base environment handed to commands (and where webhook
 * tokens are looked up by name); {@code workDir} is where commands run.
 */
public record ActionEnvironment(Map<String, String> env, Path workDir, HttpClient http) {
    public static ActionEnvironment system(Path workDir) {
        return new ActionEnvironment(System.getenv(), workDir,
                io.stagedrollout.core.net.LazyHttpClient.withConnectTimeout(java.time.Duration.ofSeconds(5)));
    }
}

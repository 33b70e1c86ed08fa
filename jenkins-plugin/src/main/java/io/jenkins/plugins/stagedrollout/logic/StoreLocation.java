package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.StoreProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The store setting of the global configuration: blank for the file store under {@code JENKINS_HOME/staged-rollout},
 * an absolute directory for a file store elsewhere (a volume several controllers share), or a location a
 * {@link StoreProvider} accepts ({@code jdbc:postgresql://db/rollouts}: the PostgreSQL store is bundled with the
 * plugin; credentials from the controller's environment, never from this setting).
 */
public final class StoreLocation {
    public static final String DEFAULT_DIR = "staged-rollout";
    /** {@code //user:password@host}, or a password or user given as a URL parameter. */
    private static final java.util.regex.Pattern CREDENTIALS =
            java.util.regex.Pattern.compile("//[^/?#]*@|[?&;](?i:password|user)=");

    private StoreLocation() {}

    /** The problem with {@code location}, or empty when it can be opened. */
    public static Optional<String> problem(String location) {
        if (location == null || location.isBlank()) return Optional.empty();
        String l = location.trim();
        if (CREDENTIALS.matcher(l).find()) {
            return Optional.of("the store location must not carry a user or password (it is shown on the configuration"
                    + " page and in logs); give the credentials in the controller's environment: ROLLOUT_DB_USER and"
                    + " ROLLOUT_DB_PASSWORD");
        }
        if (StoreProvider.find(l).isPresent()) return Optional.empty();
        if (l.contains("://") || l.startsWith("jdbc:")) {
            return Optional.of("no store on this controller accepts '" + scheme(l) + "' locations; install the plugin that"
                    + " provides it, or give a directory");
        }
        try {
            if (!Path.of(l).isAbsolute()) return Optional.of("give an absolute directory, or leave empty for JENKINS_HOME/" + DEFAULT_DIR);
        } catch (InvalidPathException e) {
            return Optional.of("not a directory path: " + e.getReason());
        }
        return Optional.empty();
    }

    public static RolloutStore open(String location, Path jenkinsHome, Map<String, String> env) throws StageException {
        Optional<String> problem = problem(location);
        if (problem.isPresent()) throw new StageException(StageException.Reason.INVALID, "store location: " + problem.get());
        try {
            if (location == null || location.isBlank()) return new FileRolloutStore(jenkinsHome.resolve(DEFAULT_DIR));
            String l = location.trim();
            Optional<StoreProvider> provider = StoreProvider.find(l);
            if (provider.isPresent()) return provider.get().open(l, env);
            return new FileRolloutStore(Path.of(l));
        } catch (RolloutStore.StoreException e) {
            throw new StageException(StageException.Reason.STORE, "cannot open the rollout store: " + e.getMessage(), e);
        }
    }

    /** The scheme of a URL-like location, for messages (never the rest, which may carry a password). */
    static String scheme(String l) {
        int colon = l.indexOf("://");
        if (l.startsWith("jdbc:")) {
            int second = l.indexOf(':', 5);
            return second < 0 ? "jdbc" : l.substring(0, second);
        }
        return colon < 0 ? l : l.substring(0, colon);
    }
}

package io.stagedrollout.core.testing;

import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.StoreProvider;
import java.io.File;
import java.nio.file.Path;
import java.util.List;

/**
 * A child JVM for store tests: commits increments to {@link RolloutStoreContract#KEY} through the store at a
 * location (a directory or a provider URL). {@code count} 0 commits forever, for kill tests.
 */
public final class StoreWriterMain {
    public static void main(String[] args) throws Exception {
        String location = args[0];
        int count = Integer.parseInt(args[1]);
        try (RolloutStore store = open(location)) {
            if (count == 0) {
                while (true) RolloutStoreContract.increment(store, 1);
            }
            RolloutStoreContract.increment(store, count);
        }
    }

    static RolloutStore open(String location) throws Exception {
        var p = StoreProvider.find(location);
        return p.isPresent() ? p.get().open(location, System.getenv()) : new FileRolloutStore(Path.of(location));
    }

    public static Process spawn(String location, int count) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), StoreWriterMain.class.getName(), location, String.valueOf(count)))
                .redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
    }
}

package io.stagedrollout.core.store;

import io.stagedrollout.core.testing.RolloutLeasesContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The lease contract on the file store. */
class FileLeasesTest extends RolloutLeasesContract {
    @TempDir
    Path dir;

    @Override
    protected RolloutStore newStore() {
        return new FileRolloutStore(dir);
    }

    @Override
    protected RolloutStore reopen() {
        return new FileRolloutStore(dir);
    }
}

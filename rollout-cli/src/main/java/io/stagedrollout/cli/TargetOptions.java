package io.stagedrollout.cli;

import io.stagedrollout.core.machine.Target;
import java.util.List;
import io.stagedrollout.core.plan.Problem;

/**
 * Which rollout a command is aimed at, besides its key: {@code --rollout-id} and {@code --expect-version}. When the
 * key's rollout is another one the command is refused with exit 5, naming both, and changes nothing. Every hint the
 * tool prints uses this form, so a command pasted from an old notice cannot act on a newer rollout.
 */
final class TargetOptions {
    String rolloutId;
    String expectVersion;

    void declare(CommandModel m) {
        m.option("--rollout-id", "ID", "Act only if the key's rollout is this one "
                + "(the id printed by start/run and in every notice); otherwise exit 5 and change nothing.").toText(v -> rolloutId = v);
        m.option("--expect-version", "V", "Act only if the key's rollout rolls out "
                + "this version; otherwise exit 5 and change nothing.").toText(v -> expectVersion = v);
    }

    Target target() throws Base.Invalid {
        if (rolloutId != null) {
            Base.requireText("--rollout-id", rolloutId);
            if (!rolloutId.matches("[A-Za-z0-9._:-]{1,128}")) {
                throw new Base.Invalid(List.of(new Problem("--rollout-id", 0, "--rollout-id must be a rollout id "
                        + "such as r-1a2b3c4d (letters, digits, '.', '_', ':', '-')")));
            }
        }
        if (expectVersion != null) Base.requireText("--expect-version", expectVersion);
        return new Target(rolloutId, expectVersion);
    }
}

package io.stagedrollout.cli;

import io.stagedrollout.core.store.RolloutStore;

final class AdvanceCommand extends Base {
    String rollout;
    final TargetOptions aim = new TargetOptions();
    final DriverOptions driver = new DriverOptions();
    boolean overrideWindow;
    String reason;

    @Override
    public void declare(CommandModel m) {
        m.command("advance", "Deploy the next ring and bake it until its gates give a verdict (resumes an interrupted "
                + "deploy or bake). Exit 0 passed, 3 failed and rolled back, 4 waiting (for approval, or for a deployment "
                + "window or the end of a freeze).");
        m.option("--rollout", "KEY", "service/environment").required().toText(v -> rollout = v);
        aim.declare(m);
        driver.declare(m);
        m.flag("--override-window", "Deploy the next ring even outside its deployment window or "
                + "in a freeze; needs --reason, and is journaled.").toFlag(v -> overrideWindow = v);
        m.option("--reason", "TEXT", "Why the window or freeze is overridden (journaled).").toText(v -> reason = v);
    }

    @Override
    int execute() throws Exception {
        var key = key(rollout);
        var target = aim.target();
        if (overrideWindow) requireText("--reason", reason);
        else if (reason != null) throw new Invalid("--reason goes with --override-window");
        try (RolloutStore store = openStore(); var engine = engine(store, driver, false); var notice = interruptNotice(store, key, true)) {
            return finishDriven(engine.advance(key, target, actor(), overrideWindow ? reason : null));
        }
    }
}

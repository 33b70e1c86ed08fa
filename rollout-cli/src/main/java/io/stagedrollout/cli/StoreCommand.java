package io.stagedrollout.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.StoreMaintenance;
import io.stagedrollout.core.store.StoreMaintenance.Finding;
import io.stagedrollout.core.store.StoreMaintenance.KeyHealth;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

final class StoreCommand extends Base {
    enum Action { check, repair }

    Action action;
    String rollout;
    Clock clock = Clock.systemUTC();

    @Override
    public void declare(CommandModel m) {
        m.command("store",
                "Check or repair the store. `check` reads every file (every journal line, its checksum and revision) and says "
                        + "what is wrong and what `repair` would do; it changes nothing. `repair` fixes what can be fixed without "
                        + "losing a committed event: it drops a torn last line (a commit that never completed), keeps a copy of a "
                        + "damaged journal and puts a JOURNAL_DAMAGED line in place of each run of damaged lines, rebuilds a "
                        + "missing, invalid or stale state.json from the journal, removes links planted in place of store files "
                        + "and makes store files 0600.",
                "Exit 0 when nothing is (left) wrong, 1 when something is.");
        m.parameter(0, "check|repair", "check (read only) or repair").to(Action.class, v -> action = v);
        m.option("--rollout", "KEY", "Only this key, service/environment (default: every key).").toText(v -> rollout = v);
    }

    @Override
    int execute() throws Exception {
        RolloutKey key = rollout == null ? null : key(rollout);
        try (RolloutStore store = openStore()) {
            if (!(store instanceof StoreMaintenance m)) {
                return output().finish(name(), "invalid", ExitCode.INVALID, "the " + store.describe() + " cannot be checked or repaired", null, null);
            }
            List<KeyHealth> keys = action == Action.check ? m.check(key) : m.repair(key, actor(), clock.instant());
            long bad = keys.stream().filter(k -> !k.healthy()).count();
            long fixed = keys.stream().flatMap(k -> k.findings().stream()).filter(Finding::fixed).count();
            String message = keys.isEmpty() ? "nothing stored" + (key == null ? "" : " for " + key)
                    : bad == 0 ? (action == Action.check ? "all " + keys.size() + " keys are sound"
                            : (fixed == 0 ? "nothing to repair in " + keys.size() + " keys" : "repaired " + fixed + " problems; all " + keys.size() + " keys are sound"))
                    : bad + " of " + keys.size() + " keys " + (action == Action.check
                            ? "have problems: run `rollout store repair`" + (key == null ? "" : " --rollout " + key) + " to fix what can be fixed"
                            : "still have problems repair cannot fix (see above)");
            int code = bad == 0 ? ExitCode.OK : ExitCode.ERROR;
            if (output().json()) {
                ObjectNode extra = JsonNodeFactory.instance.objectNode();
                ArrayNode a = extra.putArray("keys");
                for (KeyHealth k : keys) {
                    ObjectNode o = a.addObject();
                    o.put("key", k.key());
                    o.put("healthy", k.healthy());
                    o.put("summary", k.summary());
                    ArrayNode fs = o.putArray("findings");
                    for (Finding f : k.findings()) {
                        ObjectNode fo = fs.addObject();
                        fo.put("file", f.file());
                        if (f.line() > 0) fo.put("line", f.line());
                        else fo.putNull("line");
                        fo.put("problem", f.problem());
                        fo.put("remedy", f.remedy());
                        fo.put("fixed", f.fixed());
                    }
                }
                return output().finish(name(), bad == 0 ? "applied" : "error", code, message, null, extra);
            }
            StringBuilder sb = new StringBuilder();
            for (KeyHealth k : keys) {
                sb.append(k.key()).append(": ").append(k.findings().isEmpty() ? "ok" : k.healthy() ? "repaired" : problems(k))
                        .append(" (").append(k.summary()).append(")").append(System.lineSeparator());
                for (Finding f : k.findings()) {
                    sb.append("  ").append(fileName(f.file())).append(f.line() > 0 ? " line " + f.line() : "").append(": ")
                            .append(f.problem()).append(System.lineSeparator());
                    sb.append("    ").append(f.fixed() ? "✓ " : "→ ").append(f.remedy()).append(System.lineSeparator());
                }
            }
            output().human().print(sb);
            return output().finish(name(), bad == 0 ? "applied" : "error", code, message, null, null);
        }
    }

    private static String problems(KeyHealth k) {
        long n = k.findings().stream().filter(f -> !f.fixed()).count();
        return n + (n == 1 ? " problem" : " problems");
    }

    private static String fileName(String file) {
        Path p = Path.of(file).getFileName();
        return p == null ? file : p.toString();
    }
}

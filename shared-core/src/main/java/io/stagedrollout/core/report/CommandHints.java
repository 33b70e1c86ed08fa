package io.stagedrollout.core.report;

import io.stagedrollout.core.machine.RolloutState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The commands printed for people to paste — in progress lines, notifications, status output, the CLI's messages —
 * always in the id-bound form ({@code --rollout KEY --rollout-id ID}): pasted hours later, after the key has moved on
 * to a newer rollout, such a command is refused (exit 5) instead of acting on the newer rollout. Values that are not
 * plain words are single-quoted for a POSIX shell.
 */
public final class CommandHints {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/:@%+=,-]+");

    private CommandHints() {}

    /** {@code --rollout KEY --rollout-id ID}: how every hint addresses the rollout. */
    public static String address(RolloutState s) {
        return "--rollout " + quote(s.key()) + " --rollout-id " + quote(s.id());
    }

    public static String promote(RolloutState s) {
        return "rollout promote " + address(s) + (s.ringName() == null ? "" : " --ring " + quote(s.ringName()));
    }

    public static String rollback(RolloutState s) {
        return "rollout rollback " + address(s) + " --reason \"...\"";
    }

    /** Records a revert done by hand (plans without a revert action). */
    public static String reverted(RolloutState s) {
        return "rollout rollback " + address(s) + " --reverted";
    }

    public static String advance(RolloutState s) {
        return "rollout advance " + address(s);
    }

    public static String status(RolloutState s) {
        return "rollout status " + address(s);
    }

    public static String abort(RolloutState s) {
        return "rollout abort " + address(s) + " --reason \"...\"";
    }

    /** The commands that make sense for the rollout as it stands, by name (promote, rollback, advance, …). */
    public static Map<String, String> forState(RolloutState s) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (s.status()) {
            case AWAITING_APPROVAL -> {
                m.put("promote", promote(s));
                m.put("rollback", rollback(s));
            }
            case PENDING, PROMOTING -> {
                m.put("advance", advance(s));
                m.put("rollback", rollback(s));
                m.put("abort", abort(s));
            }
            case DEPLOYING, BAKING -> {
                m.put("status", status(s) + " --wait");
                m.put("rollback", rollback(s));
            }
            case ROLLING_BACK -> m.put("advance", advance(s));
            case COMPLETED -> m.put("rollback", rollback(s));
            default -> { }
        }
        return m;
    }

    /** A value as one POSIX shell word. */
    public static String quote(String v) {
        if (v == null) return "''";
        if (PLAIN.matcher(v).matches()) return v;
        return "'" + v.replace("'", "'\\''") + "'";
    }
}

package io.stagedrollout.core.machine;

import io.stagedrollout.core.plan.Ring;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The ROLLOUT_* values actions and gates receive (DESIGN.md "The plan file"). */
public final class RolloutVariables {
    private RolloutVariables() {}

    /** For deploying or measuring ring {@code ringIndex}. */
    public static Map<String, String> forRing(RolloutState s, int ringIndex) {
        Map<String, String> v = common(s);
        Ring r = s.plan().ring(ringIndex);
        v.put("ROLLOUT_VERSION", s.version());
        v.put("ROLLOUT_RING", r.name());
        v.put("ROLLOUT_RING_INDEX", String.valueOf(ringIndex));
        v.put("ROLLOUT_PERCENT", percent(r.exposure().percent()));
        v.put("ROLLOUT_TARGETS", String.join(",", r.exposure().targets()));
        return v;
    }

    /** For reverting: ROLLOUT_VERSION is the stable version and the exposure of the new version is 0. */
    public static Map<String, String> forRevert(RolloutState s) {
        Map<String, String> v = common(s);
        v.put("ROLLOUT_VERSION", nullToEmpty(s.stableVersion()));
        v.put("ROLLOUT_RING", nullToEmpty(s.ringName()));
        v.put("ROLLOUT_RING_INDEX", String.valueOf(s.ringIndex()));
        v.put("ROLLOUT_PERCENT", "0");
        v.put("ROLLOUT_TARGETS", "");
        v.put("ROLLOUT_REVERTING_VERSION", s.version());
        return v;
    }

    private static Map<String, String> common(RolloutState s) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("ROLLOUT_ID", s.id());
        v.put("ROLLOUT_SERVICE", s.service());
        v.put("ROLLOUT_ENVIRONMENT", s.environment());
        v.put("ROLLOUT_STABLE_VERSION", nullToEmpty(s.stableVersion()));
        return v;
    }

    public static String percent(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) : String.format(Locale.ROOT, "%.4f", p).replaceAll("0+$", "");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

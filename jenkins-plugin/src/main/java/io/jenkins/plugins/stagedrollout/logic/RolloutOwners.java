package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.store.RolloutKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which Jenkins job — or folder — a rollout key belongs to, and which other jobs its owner lets act on it. Rollout
 * keys are global on a controller (and across controllers sharing a store), so without this any pipeline could
 * promote or roll back any service. One rule a line:
 *
 * <pre>
 * # rollout key (or service/*): owner job or folder; other jobs or folders allowed
 * checkout/production: team-checkout
 * checkout/*: team-checkout/deploy; ops/emergency-rollback
 * </pre>
 *
 * A job acts on a key when it is the owner, lies inside the owner folder, or is granted (a granted folder covers its
 * jobs). An exact key beats {@code service/*}. A key no rule names is claimed by the first build that starts a
 * rollout on it (a {@code canaryStage} with plan and version): a rule for that build's job is added. ':' and ';'
 * cannot occur in Jenkins item names, so they separate the fields.
 */
public final class RolloutOwners {
    /** One line: {@code pattern: owner; granted; granted}. */
    public record Rule(String pattern, String owner, List<String> granted) {
        public Rule {
            granted = List.copyOf(granted);
        }

        boolean matches(String key) {
            if (pattern.endsWith("/*")) return key.startsWith(pattern.substring(0, pattern.length() - 1));
            return pattern.equals(key);
        }

        boolean exact() {
            return !pattern.endsWith("/*");
        }

        String format() {
            return pattern + ": " + owner + (granted.isEmpty() ? "" : "; " + String.join("; ", granted));
        }
    }

    /** What a job may do with a key. */
    public enum Standing {
        /** The job is the owner, or inside the owner folder. */
        OWNER,
        /** The owner granted the job (or a folder holding it). */
        GRANTED,
        /** No rule names the key: the build that starts a rollout on it claims it. */
        UNOWNED,
        /** Another job or folder owns the key and did not grant this job. */
        REFUSED
    }

    /** The standing of {@code job} on {@code key}, and the rule that decided it (null when unowned). */
    public record Decision(Standing standing, String key, String job, Rule rule) {
        public boolean allowed() {
            return standing == Standing.OWNER || standing == Standing.GRANTED;
        }

        /** Why a refused or unowned job may not act, for the build log (names the owner, never more). */
        public String explain(String what) {
            if (standing == Standing.UNOWNED) {
                return "cannot " + what + ": rollout " + key + " has no owner yet; the canaryStage that starts a rollout"
                        + " (with plan: and version:) claims it for its job, or an administrator assigns it under"
                        + " Manage Jenkins » System » Staged Rollout ownership";
            }
            return "cannot " + what + ": rollout " + key + " belongs to " + rule.owner() + " (rule '" + rule.pattern()
                    + "'), and job " + job + " is not granted; the owner's administrator can add it to that rule";
        }
    }

    private final List<Rule> rules;
    /** Why the rules could not be read; then every key is refused (never "nobody owns it, claim away"). */
    private final String broken;

    private RolloutOwners(List<Rule> rules, String broken) {
        this.rules = List.copyOf(rules);
        this.broken = broken;
    }

    private RolloutOwners(List<Rule> rules) {
        this(rules, null);
    }

    public static RolloutOwners none() {
        return new RolloutOwners(List.of());
    }

    /** Rules that could not be read ({@code why}): every job is refused on every key until they are fixed. */
    public static RolloutOwners broken(String why) {
        return new RolloutOwners(List.of(), why);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** @throws IllegalArgumentException naming the line and what is wrong with it */
    public static RolloutOwners parse(String text) {
        List<String> problems = new ArrayList<>();
        RolloutOwners o = parse(text, problems);
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        return o;
    }

    /** The problems of {@code text}, one per bad line ("line 3: ..."); empty when it is valid. */
    public static List<String> problems(String text) {
        List<String> problems = new ArrayList<>();
        parse(text, problems);
        return problems;
    }

    private static RolloutOwners parse(String text, List<String> problems) {
        List<Rule> rules = new ArrayList<>();
        if (text == null) return new RolloutOwners(rules);
        String[] lines = text.split("\r?\n", -1);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            String where = "line " + (i + 1) + ": ";
            int colon = line.indexOf(':');
            if (colon < 0) {
                problems.add(where + "write 'service/environment: owner job or folder'");
                continue;
            }
            String pattern = line.substring(0, colon).strip();
            Optional<String> bad = patternProblem(pattern);
            if (bad.isPresent()) {
                problems.add(where + bad.get());
                continue;
            }
            if (seen.contains(pattern)) {
                problems.add(where + pattern + " already has a rule above");
                continue;
            }
            List<String> items = new ArrayList<>();
            for (String part : line.substring(colon + 1).split(";", -1)) {
                String item = trimSlashes(part.strip());
                if (!item.isEmpty()) items.add(item);
            }
            if (items.isEmpty()) {
                problems.add(where + "name the owner job or folder after ':' (its full name, e.g. team/deploy)");
                continue;
            }
            seen.add(pattern);
            rules.add(new Rule(pattern, items.get(0), items.subList(1, items.size())));
        }
        return new RolloutOwners(rules);
    }

    private static Optional<String> patternProblem(String pattern) {
        String key = pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 2) + "/x" : pattern;
        try {
            RolloutKey.parse(key);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            // RolloutKey's message shows the text with control characters escaped
            return Optional.of("not a rollout key (service/environment) or service/*: " + e.getMessage());
        }
    }

    private static String trimSlashes(String s) {
        while (s.startsWith("/")) s = s.substring(1);
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return s;
    }

    /** The rule for {@code key}: the exact one, else its service's {@code service/*}; empty when none. */
    public Optional<Rule> ruleFor(String key) {
        Rule wildcard = null;
        for (Rule r : rules) {
            if (!r.matches(key)) continue;
            if (r.exact()) return Optional.of(r);
            wildcard = r;
        }
        return Optional.ofNullable(wildcard);
    }

    /** The standing of {@code job} (a full name, e.g. {@code team/deploy}) on {@code key}. */
    public Decision decide(String key, String job) {
        if (broken != null) {
            return new Decision(Standing.REFUSED, key, job, new Rule(key, "nobody (the ownership rules do not parse: "
                    + broken + ")", List.of()));
        }
        Optional<Rule> rule = ruleFor(key);
        if (rule.isEmpty()) return new Decision(Standing.UNOWNED, key, job, null);
        Rule r = rule.get();
        if (covers(r.owner(), job)) return new Decision(Standing.OWNER, key, job, r);
        for (String g : r.granted()) {
            if (covers(g, job)) return new Decision(Standing.GRANTED, key, job, r);
        }
        return new Decision(Standing.REFUSED, key, job, r);
    }

    /** These rules with {@code key} owned by {@code job}, when no rule names the key yet; otherwise these rules. */
    public RolloutOwners claim(String key, String job) {
        if (broken != null || ruleFor(key).isPresent()) return this;
        List<Rule> more = new ArrayList<>(rules);
        more.add(new Rule(key, job, List.of()));
        return new RolloutOwners(more);
    }

    /** An item covers itself and, as a folder, everything inside it. */
    static boolean covers(String item, String job) {
        return job != null && (job.equals(item) || job.startsWith(item + "/"));
    }

    /** The rules as text {@link #parse} reads back (comments of the original are not kept). */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (Rule r : rules) sb.append(r.format()).append('\n');
        return sb.toString();
    }
}

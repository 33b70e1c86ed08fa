package io.jenkins.plugins.stagedrollout.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import io.jenkins.plugins.stagedrollout.logic.OwnerRegistry;
import io.jenkins.plugins.stagedrollout.logic.RolloutOwners;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins » System » Staged Rollout ownership: which job or folder owns each rollout key, and which other jobs
 * it lets act on it ({@link RolloutOwners} has the syntax). Keys nobody owns are claimed by the first build that starts
 * a rollout on them; the claim is added here, where an administrator can change it. Configuration as Code:
 * {@code unclassified: stagedRolloutOwnership: rules: "checkout/production: team-checkout"}.
 */
@Extension
@Symbol("stagedRolloutOwnership")
public class RolloutOwnership extends GlobalConfiguration implements OwnerRegistry {
    private static final Logger LOGGER = Logger.getLogger(RolloutOwnership.class.getName());

    private String rules;
    private transient RolloutOwners parsed;

    public RolloutOwnership() {
        load();
    }

    public static RolloutOwnership get() {
        return ExtensionList.lookupSingleton(RolloutOwnership.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return "Staged Rollout ownership";
    }

    public synchronized String getRules() {
        return rules;
    }

    /**
     * @throws IllegalArgumentException naming the bad line: a rule that does not parse is refused, never half-read
     */
    @DataBoundSetter
    public synchronized void setRules(String rules) {
        RolloutOwners owners = RolloutOwners.parse(rules);
        this.rules = rules == null || rules.isBlank() ? null : rules;
        this.parsed = owners;
        save();
    }

    private RolloutOwners owners() {
        if (parsed == null) {
            try {
                parsed = RolloutOwners.parse(rules);
            } catch (IllegalArgumentException e) {
                // a hand-edited file that does not parse owns nothing: every key is refused until it is fixed
                LOGGER.warning("Staged Rollout ownership rules do not parse (" + e.getMessage() + "); no build may act"
                        + " on a rollout until they are fixed");
                return RolloutOwners.broken(e.getMessage());
            }
        }
        return parsed;
    }

    @Override
    public synchronized RolloutOwners.Decision decide(String key, String job) {
        return owners().decide(key, job);
    }

    @Override
    public synchronized RolloutOwners.Decision claim(String key, String job) {
        RolloutOwners before = owners();
        RolloutOwners after = before.claim(key, job);
        if (after != before) {
            String text = rules == null ? "" : rules.endsWith("\n") ? rules : rules + "\n";
            rules = text + key + ": " + job + "\n";
            parsed = after;
            save();
            LOGGER.info("rollout " + key + " claimed by job " + job);
        }
        return after.decide(key, job);
    }

    @Override
    public synchronized Optional<String> ownerOf(String key) {
        return owners().ruleFor(key).map(RolloutOwners.Rule::owner);
    }

    @POST
    public FormValidation doCheckRules(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        List<String> problems = RolloutOwners.problems(value);
        return problems.isEmpty() ? FormValidation.ok() : FormValidation.error(String.join("\n", problems));
    }
}

package io.jenkins.plugins.stagedrollout.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import io.jenkins.plugins.stagedrollout.logic.ConfigChecks;
import io.jenkins.plugins.stagedrollout.logic.PlanDefaults;
import io.jenkins.plugins.stagedrollout.logic.PlanEnvironment;
import io.jenkins.plugins.stagedrollout.logic.PlanPolicy;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import io.jenkins.plugins.stagedrollout.logic.StoreLocation;
import io.stagedrollout.core.plan.Durations;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins » System » Staged Rollout. Configuration as Code: {@code unclassified: stagedRollout: ...}.
 */
@Extension
@Symbol("stagedRollout")
public class RolloutConfiguration extends GlobalConfiguration {
    private static final Logger LOGGER = Logger.getLogger(RolloutConfiguration.class.getName());

    /** Variables the gates get for the global metric backend; plans name them. */
    public static final String METRICS_URL_VARIABLE = "ROLLOUT_METRICS_URL";

    public static final String METRICS_TOKEN_VARIABLE = "ROLLOUT_METRICS_TOKEN";

    /** Where command gates and actions run, when an administrator allows them: beside the store, never inside it. */
    static final String WORK_DIR = "staged-rollout-work";

    private String storeLocation;
    private String defaultBake;
    private String metricsUrl;
    private String credentialsId;
    private boolean allowControllerCommands;

    private transient RolloutService service;
    private transient HttpClient http;
    private transient String openedLocation;
    private transient boolean openedPolicy;
    private transient String openedDefaultBake;
    /** Which credentials each running build already has on its credentials-usage record ({@code track}). */
    private final transient Map<Run<?, ?>, Set<String>> tracked = Collections.synchronizedMap(new WeakHashMap<>());

    public RolloutConfiguration() {
        load();
    }

    public static RolloutConfiguration get() {
        return ExtensionList.lookupSingleton(RolloutConfiguration.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return "Staged Rollout";
    }

    /**
     * The form's submit: every field bound, then one save (each setter saves on its own for Configuration as Code and
     * scripts, which the bulk change turns into nothing here).
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        try (BulkChange bc = new BulkChange(this)) {
            req.bindJSON(this, json);
            bc.commit();
        } catch (IOException e) {
            throw new FormException("saving the Staged Rollout configuration failed: " + e.getMessage(), e, "storeLocation");
        }
        return true;
    }

    public synchronized String getStoreLocation() {
        return storeLocation;
    }

    @DataBoundSetter
    public synchronized void setStoreLocation(String storeLocation) {
        this.storeLocation = ConfigChecks.trimToNull(storeLocation);
        save();
    }

    public synchronized String getDefaultBake() {
        return defaultBake;
    }

    /** How long rings bake when their plan gives no bake ({@code 10m}); empty: the plan's default, 0s. */
    @DataBoundSetter
    public synchronized void setDefaultBake(String defaultBake) {
        this.defaultBake = ConfigChecks.trimToNull(defaultBake);
        save();
    }

    public synchronized String getMetricsUrl() {
        return metricsUrl;
    }

    @DataBoundSetter
    public synchronized void setMetricsUrl(String metricsUrl) {
        this.metricsUrl = ConfigChecks.trimToNull(metricsUrl);
        save();
    }

    public synchronized String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public synchronized void setCredentialsId(String credentialsId) {
        this.credentialsId = ConfigChecks.trimToNull(credentialsId);
        save();
    }

    public synchronized boolean isAllowControllerCommands() {
        return allowControllerCommands;
    }

    @DataBoundSetter
    public synchronized void setAllowControllerCommands(boolean allowControllerCommands) {
        this.allowControllerCommands = allowControllerCommands;
        save();
    }

    /** The rollout service on the configured store, reopened when the store setting changed. */
    public synchronized RolloutService service() throws StageException {
        String location = storeLocation == null ? "" : storeLocation;
        if (service == null || !location.equals(openedLocation) || allowControllerCommands != openedPolicy
                || !Objects.equals(defaultBake, openedDefaultBake)) {
            if (service != null) {
                try {
                    service.store().close();
                } catch (Exception e) {
                    LOGGER.log(Level.WARNING, "closing the previous rollout store", e);
                }
            }
            Path home = Jenkins.get().getRootDir().toPath();
            // the store setting is the administrator's: its provider may read the controller's environment
            // (ROLLOUT_DB_USER/ROLLOUT_DB_PASSWORD); plans never do, see bindings()
            service = new RolloutService(StoreLocation.open(location, home, System.getenv()),
                    new PlanEnvironment(home.resolve(WORK_DIR), http(), Clock.systemUTC()),
                    Clock.systemUTC(), new PlanPolicy(allowControllerCommands))
                    .withDefaultBake(defaultBake == null ? null : Durations.parse(defaultBake).orElse(null));
            openedLocation = location;
            openedDefaultBake = defaultBake;
            openedPolicy = allowControllerCommands;
        }
        return service;
    }

    /**
     * What the plan may read for one build: {@value #METRICS_URL_VARIABLE} (not a secret), the metrics token as
     * {@value #METRICS_TOKEN_VARIABLE}, and the step's own {@code credentials} (variable → credentials id). Every
     * credential is resolved for the build — as the build's job sees credentials: global and folder ones, never the
     * System-scoped ones that are meant for Jenkins itself — and recorded as used by the build. Nothing of the
     * controller's environment is included. Called off the CPS thread, at every tick: a credential changed or revoked
     * takes effect at the next measurement.
     *
     * @param warn told (for the build log) when the global metrics token is not visible to the build
     * @throws StageException INVALID naming a step credential that the build cannot use
     */
    public Map<String, String> bindings(Run<?, ?> run, Map<String, String> credentials, Consumer<String> warn)
            throws StageException {
        Map<String, String> env = new LinkedHashMap<>();
        String url = getMetricsUrl();
        if (url != null) env.put(METRICS_URL_VARIABLE, url);
        String id = getCredentialsId();
        if (id != null) {
            String token = secret(run, id);
            if (token != null) {
                env.put(METRICS_TOKEN_VARIABLE, token);
            } else {
                warn.accept("the metrics token credential '" + id + "' of the Staged Rollout configuration is not visible to "
                        + run.getParent().getFullName() + " (a System-scoped credential never is); gates that read "
                        + METRICS_TOKEN_VARIABLE + " get nothing");
            }
        }
        for (Map.Entry<String, String> b : credentials.entrySet()) {
            String value = secret(run, b.getValue());
            if (value == null) {
                throw new StageException(StageException.Reason.INVALID, "credentials: no Secret text credential '"
                        + b.getValue() + "' (for " + b.getKey() + ") is visible to " + run.getParent().getFullName()
                        + "; System-scoped credentials are never given to builds");
            }
            env.put(b.getKey(), value);
        }
        return env;
    }

    /** The secret of a Secret text credential as the build's job sees it, or null; tracked once per build. */
    @CheckForNull
    private String secret(Run<?, ?> run, String id) {
        StringCredentials c = CredentialsProvider.findCredentialById(id, StringCredentials.class, run, List.of());
        if (c == null) return null;
        Set<String> done = tracked.computeIfAbsent(run, r -> Collections.synchronizedSet(new HashSet<>()));
        if (done.add(id)) CredentialsProvider.track(run, c);
        return Secret.toString(c.getSecret());
    }

    /** One client for every probe: each HttpClient owns a selector thread. */
    private synchronized HttpClient http() {
        if (http == null) http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return http;
    }

    // ---- form validation ---------------------------------------------------------------------------------------

    @POST
    public FormValidation doCheckStoreLocation(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return ConfigChecks.storeLocation(value).map(FormValidation::error).orElse(FormValidation.ok());
    }

    @POST
    public FormValidation doCheckDefaultBake(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String problem = PlanDefaults.problem(value);
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    @POST
    public FormValidation doCheckMetricsUrl(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return ConfigChecks.metricsUrl(value).map(FormValidation::error).orElse(FormValidation.ok());
    }

    /**
     * The global <em>Secret text</em> credentials, the ones a build can use (System-scoped ones are for Jenkins itself);
     * only an administrator sees the list, anyone else only the current value.
     */
    @POST
    public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
        StandardListBoxModel items = new StandardListBoxModel();
        String current = credentialsId == null ? "" : credentialsId;
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            items.includeCurrentValue(current);
            return items;
        }
        items.includeEmptyValue()
                .includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), StringCredentials.class, List.of(),
                        CredentialsMatchers.withScope(CredentialsScope.GLOBAL))
                .includeCurrentValue(current);
        return items;
    }

    @POST
    public FormValidation doCheckCredentialsId(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String id = ConfigChecks.trimToNull(value);
        if (id == null) return FormValidation.ok();
        StringCredentials c = CredentialsProvider.findCredentialByIdInItemGroup(id, StringCredentials.class, null, null, null);
        if (c == null) {
            return FormValidation.error("No secret text credential with id " + id + " in the global credentials");
        }
        if (c.getScope() == CredentialsScope.SYSTEM) {
            return FormValidation.warning("A System-scoped credential is never given to builds, so gates would get no"
                    + " token: give it the Global scope");
        }
        return FormValidation.ok();
    }
}

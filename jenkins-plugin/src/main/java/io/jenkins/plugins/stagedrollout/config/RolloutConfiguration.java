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
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import io.jenkins.plugins.stagedrollout.logic.ConfigChecks;
import io.jenkins.plugins.stagedrollout.logic.PlanDefaults;
import io.jenkins.plugins.stagedrollout.logic.PlanPolicy;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import io.jenkins.plugins.stagedrollout.logic.StoreLocation;
import io.stagedrollout.core.action.ActionEnvironment;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.plan.Durations;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /** Environment variables the gates get for the global metric backend; plans name them. */
    public static final String METRICS_URL_VARIABLE = "ROLLOUT_METRICS_URL";

    public static final String METRICS_TOKEN_VARIABLE = "ROLLOUT_METRICS_TOKEN";

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
            service = new RolloutService(StoreLocation.open(location, home, System.getenv()), this::runtime,
                    Clock.systemUTC(), new PlanPolicy(allowControllerCommands))
                    .withDefaultBake(defaultBake == null ? null : Durations.parse(defaultBake).orElse(null));
            openedLocation = location;
            openedDefaultBake = defaultBake;
            openedPolicy = allowControllerCommands;
        }
        return service;
    }

    /** What gates and plan actions get on the controller; the metrics token is looked up at every call. */
    RolloutEngine.Runtime runtime() {
        Map<String, String> env = new HashMap<>(System.getenv());
        String url = getMetricsUrl();
        if (url != null) env.put(METRICS_URL_VARIABLE, url);
        String token = token();
        if (token != null) env.put(METRICS_TOKEN_VARIABLE, token);
        Path work = Jenkins.get().getRootDir().toPath().resolve(StoreLocation.DEFAULT_DIR);
        HttpClient http = http();
        return new RolloutEngine.Runtime(new GateEnvironment(Map.copyOf(env), work, http, Clock.systemUTC()),
                new ActionEnvironment(Map.copyOf(env), work, http));
    }

    /** One client for every probe: each HttpClient owns a selector thread. */
    private synchronized HttpClient http() {
        if (http == null) http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return http;
    }

    @CheckForNull
    private String token() {
        String id = getCredentialsId();
        if (id == null) return null;
        StringCredentials c = CredentialsProvider.findCredentialByIdInItemGroup(id, StringCredentials.class, null, null, null);
        if (c == null) {
            LOGGER.warning("Staged Rollout: no secret text credential with id " + id);
            return null;
        }
        return Secret.toString(c.getSecret());
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
        if (CredentialsProvider.findCredentialByIdInItemGroup(id, StringCredentials.class, null, null, null) == null) {
            return FormValidation.error("No secret text credential with id " + id + " in the global credentials");
        }
        return FormValidation.ok();
    }
}

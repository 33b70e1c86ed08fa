// Compile-only stand-in of org.jenkins-ci.main:jenkins-core:2.555.3 (jenkinsci/jenkins tag jenkins-2.555.3):
// declarations only (methods throw; constructors at most pass arguments to super like the real ones); never shipped. Checked with standin-check.
package hudson.init;

public enum InitMilestone {
    STARTED,
    PLUGINS_LISTED,
    PLUGINS_PREPARED,
    PLUGINS_STARTED,
    EXTENSIONS_AUGMENTED,
    SYSTEM_CONFIG_LOADED,
    SYSTEM_CONFIG_ADAPTED,
    JOB_LOADED,
    JOB_CONFIG_ADAPTED,
    COMPLETED
}

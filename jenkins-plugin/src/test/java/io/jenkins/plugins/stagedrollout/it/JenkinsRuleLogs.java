package io.jenkins.plugins.stagedrollout.it;

/** Counting lines in a build log. */
final class JenkinsRuleLogs {
    private JenkinsRuleLogs() {}

    static int count(String log, String text) {
        int n = 0;
        for (int i = log.indexOf(text); i >= 0; i = log.indexOf(text, i + text.length())) n++;
        return n;
    }
}

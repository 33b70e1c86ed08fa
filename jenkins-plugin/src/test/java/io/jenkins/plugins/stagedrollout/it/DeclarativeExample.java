package io.jenkins.plugins.stagedrollout.it;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a declarative Jenkinsfile of the example's shape as a scripted pipeline, for a test Jenkins without
 * Declarative Pipeline: the {@code steps} blocks of the stages in order, then {@code post} as Declarative runs it —
 * {@code success} after the stages, {@code aborted} on an interruption, {@code failure} on any other error. Block
 * contents are copied verbatim; {@code script { }} wrappers are unwrapped.
 */
final class DeclarativeExample {
    private DeclarativeExample() {}

    static String scripted(String jenkinsfile) {
        String text = jenkinsfile.replaceAll("(?m)^\\s*//.*$", "");
        StringBuilder stages = new StringBuilder();
        String stagesBlock = block(text, "stages");
        int at = 0;
        while (true) {
            int stage = stagesBlock.indexOf("stage(", at);
            if (stage < 0) break;
            String stageBody = block(stagesBlock.substring(stage), "stage");
            stages.append(block(stageBody, "steps")).append('\n');
            at = stage + stageBody.length();
        }
        String post = block(text, "post");
        return "try {\n" + stages + "} catch (org.jenkinsci.plugins.workflow.steps.FlowInterruptedException interrupted) {\n"
                + unwrap(optional(post, "aborted")) + "\nthrow interrupted\n"
                + "} catch (failed) {\n" + unwrap(optional(post, "failure")) + "\nthrow failed\n}\n"
                + unwrap(optional(post, "success")) + "\n";
    }

    private static String optional(String text, String name) {
        return text.matches("(?s).*\\b" + name + "\\s*\\{.*") ? block(text, name) : "";
    }

    private static String unwrap(String text) {
        return text.matches("(?s)\\s*script\\s*\\{.*") ? block(text, "script") : text;
    }

    /** The content of the first {@code name ... { ... }} block of {@code text}, braces balanced. */
    static String block(String text, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + name + "\\b[^{]*\\{").matcher(text);
        if (!m.find()) throw new IllegalArgumentException("no " + name + " block");
        int depth = 1;
        int i = m.end();
        List<Character> quote = new ArrayList<>();
        for (; i < text.length() && depth > 0; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
                continue;
            }
            if (quote.isEmpty() && (c == '\'' || c == '"')) {
                quote.add(c);
            } else if (!quote.isEmpty() && c == quote.get(0)) {
                quote.clear();
            } else if (c == '{' && (quote.isEmpty() || quote.get(0) == '"')) {
                depth++;
            } else if (c == '}' && (quote.isEmpty() || quote.get(0) == '"')) {
                depth--;
            }
        }
        return text.substring(m.end(), i - 1);
    }
}

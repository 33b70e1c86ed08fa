package io.stagedrollout.core.plan;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a plan, reported at once. Nothing has been applied when this is thrown. */
public final class InvalidPlanException extends Exception {
    private final transient List<Problem> problems;

    public InvalidPlanException(List<Problem> problems) {
        super(problems.size() + " problem(s) in the plan:\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}

package io.stagedrollout.core.action;

/**
 * How an action went. {@code actualPercent} is set when the action could not meet the exposure exactly
 * (three replicas cannot carry 5%) and reports what it did instead.
 */
public record ActionResult(boolean ok, String detail, Double actualPercent) {
    public static ActionResult ok(String detail) {
        return new ActionResult(true, detail, null);
    }

    public static ActionResult failed(String detail) {
        return new ActionResult(false, detail, null);
    }
}

package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.machine.Actor;
import java.util.Map;

/**
 * Who changes a rollout and with what: the journal's actor, where the engine's events and action output go, and the
 * only values the plan's gates, actions and notifications may read by name ({@code tokenEnv}, {@code urlEnv}, ...).
 * {@code bindings} holds what was bound explicitly for this build — never the controller's environment.
 * {@code webRequest}: the caller is an HTTP request, which must answer at once.
 */
public record Caller(Actor actor, EngineListener listener, Map<String, String> bindings, boolean webRequest) {
    public Caller {
        listener = listener == null ? EngineListener.NONE : listener;
        bindings = bindings == null ? Map.of() : Map.copyOf(bindings);
    }

    /** A step's caller (on a worker thread: it may wait for the key's lease). */
    public Caller(Actor actor, EngineListener listener, Map<String, String> bindings) {
        this(actor, listener, bindings, false);
    }

    /**
     * This caller as an HTTP request (a button, a script): it never waits for another driver's lease; a rollback is
     * recorded at once and its revert left to the driver holding the lease.
     */
    public Caller forWebRequest() {
        return new Caller(actor, listener, bindings, true);
    }

    /** A caller that binds nothing (a page, a read). */
    public static Caller of(Actor actor) {
        return new Caller(actor, EngineListener.NONE, Map.of());
    }

    @Override
    public String toString() {
        return "Caller[" + actor.describe() + ", bound " + bindings.keySet() + "]"; // never the values
    }
}

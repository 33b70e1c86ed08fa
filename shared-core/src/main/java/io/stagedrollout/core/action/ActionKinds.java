package io.stagedrollout.core.action;

import io.stagedrollout.core.action.kind.CommandAction;
import io.stagedrollout.core.action.kind.WebhookAction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * The action kinds a plan may name: {@code command} and {@code webhook} built in, others (such as
 * {@code kubernetes}) from modules on the class path through
 * {@code META-INF/services/io.stagedrollout.core.action.ActionKind}.
 */
public final class ActionKinds {
    private static final Map<String, ActionKind> KINDS = load();

    private ActionKinds() {}

    private static Map<String, ActionKind> load() {
        Map<String, ActionKind> m = new LinkedHashMap<>();
        for (ActionKind k : new ActionKind[] {new CommandAction(), new WebhookAction()}) {
            m.put(k.kind(), k);
        }
        for (ActionKind k : ServiceLoader.load(ActionKind.class, ActionKinds.class.getClassLoader())) {
            m.putIfAbsent(k.kind(), k);
        }
        return Map.copyOf(m);
    }

    public static Optional<ActionKind> find(String kind) {
        return Optional.ofNullable(KINDS.get(kind));
    }

    public static Set<String> names() {
        return new TreeSet<>(KINDS.keySet());
    }
}

package io.stagedrollout.core.policy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * When a ring may be deployed: inside one of its windows (none: any time) and outside every freeze. Pure; the
 * caller passes the clock's instant.
 */
public record DeployCalendar(List<Window> windows, List<Freeze> freezes) {
    private static final int MAX_STEPS = 1000;

    public DeployCalendar {
        windows = windows == null ? List.of() : List.copyOf(windows);
        freezes = freezes == null ? List.of() : List.copyOf(freezes);
    }

    /** Empty when a ring may be deployed at {@code now}; otherwise what stops it and when that ends. */
    public Optional<Closure> check(Instant now) {
        Optional<Freeze> frozen = freezes.stream().filter(f -> f.contains(now)).findFirst();
        if (frozen.isPresent()) return Optional.of(new Closure(null, frozen.get().reason(), nextOpening(now)));
        if (windows.isEmpty() || windows.stream().anyMatch(w -> w.contains(now))) return Optional.empty();
        return Optional.of(new Closure(windowNames(), null, nextOpening(now)));
    }

    /** The first instant at or after {@code t} inside a window and outside every freeze; null if unknown. */
    public Instant nextOpening(Instant t) {
        Instant at = t;
        for (int i = 0; i < MAX_STEPS; i++) {
            final Instant probe = at;
            Optional<Freeze> frozen = freezes.stream().filter(f -> f.contains(probe)).findFirst();
            if (frozen.isPresent()) {
                if (frozen.get().to() == null) return null;
                at = frozen.get().to();
                continue;
            }
            if (windows.isEmpty()) return at;
            Instant next = null;
            for (Window w : windows) {
                Instant o = w.nextOpening(at);
                if (o != null && (next == null || o.isBefore(next))) next = o;
            }
            if (next == null) return null;
            if (next.equals(at)) return at;
            at = next;
        }
        return null;
    }

    private String windowNames() {
        return windows.stream().map(Window::describe).collect(Collectors.joining(" or "));
    }
}

package io.stagedrollout.core.machine;

/** What the shell must do in the world once a transition is committed. */
public sealed interface Effect {
    record DeployRing(int ringIndex) implements Effect {}

    record Revert(String reason) implements Effect {}
}

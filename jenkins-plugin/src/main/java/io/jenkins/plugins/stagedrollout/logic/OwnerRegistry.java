package io.jenkins.plugins.stagedrollout.logic;

import java.util.Optional;

/** Where the ownership rules of rollout keys live (the global configuration; in memory for tests). */
public interface OwnerRegistry {
    RolloutOwners.Decision decide(String key, String job);

    /** Claims {@code key} for {@code job} when no rule names it, and keeps the claim; answers the standing after it. */
    RolloutOwners.Decision claim(String key, String job);

    /** The job or folder that owns {@code key} (its full name); empty when no rule names it or the rules are broken. */
    Optional<String> ownerOf(String key);

    /** Rules held in memory. */
    final class InMemory implements OwnerRegistry {
        private RolloutOwners owners;

        public InMemory(RolloutOwners owners) {
            this.owners = owners;
        }

        @Override
        public synchronized RolloutOwners.Decision decide(String key, String job) {
            return owners.decide(key, job);
        }

        @Override
        public synchronized RolloutOwners.Decision claim(String key, String job) {
            owners = owners.claim(key, job);
            return owners.decide(key, job);
        }

        @Override
        public synchronized Optional<String> ownerOf(String key) {
            return owners.ruleFor(key).map(RolloutOwners.Rule::owner);
        }

        public synchronized RolloutOwners owners() {
            return owners;
        }
    }
}

package io.stagedrollout.core.store;

/**
 * A driver's fencing token on a commit: the store accepts the commit only while {@code token} is the key's current
 * lease token, atomically with the compare-and-set, so a driver that lost its lease can never commit again.
 */
public record Fence(long token) {}

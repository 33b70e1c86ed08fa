package io.stagedrollout.core.plan;

/** What a ring does when its verdict is FAIL ({@code onFailure}) or INCONCLUSIVE ({@code onInconclusive}). */
public enum OnVerdict { REVERT, HOLD }

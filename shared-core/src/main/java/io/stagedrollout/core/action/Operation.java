package io.stagedrollout.core.action;

/** What an action is asked to do: move a ring's share of traffic to the new version, or put everything back. */
public enum Operation { DEPLOY, REVERT }

package io.stagedrollout.core.plan;

/** Whether a ring that passed its gates is promoted by itself or waits for a person. */
public enum Approval { AUTO, MANUAL }

package io.stagedrollout.core.gate;

/** One gate's verdict for a ring, with the reason in words and numbers. {@code dryRun} gates never count. */
public record GateVerdict(String gate, Verdict verdict, boolean dryRun, String reason, GateProgress progress) {}

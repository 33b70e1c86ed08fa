// The JAR's `--output json` answer is the only thing the wrapper reads: exactly one JSON object
// on stdout (human text goes to stderr). Anything else is a broken contract, reported as such.

export const EXIT = Object.freeze({
  OK: 0,
  ERROR: 1,
  INVALID: 2,
  GATE_FAILED: 3,
  WAITING: 4,
  CONFLICT: 5,
  REVERT_FAILED: 6,
});

export class ContractError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ContractError';
  }
}

/** Parses the JAR's stdout into the status object, checking the fields the wrapper relies on. */
export function parseStatus(stdout) {
  const text = stdout.trim();
  if (text === '') throw new ContractError('printed nothing on stdout');
  let status;
  try {
    status = JSON.parse(text);
  } catch (error) {
    throw new ContractError(`printed something other than one JSON object on stdout (${error.message})`);
  }
  if (status === null || typeof status !== 'object' || Array.isArray(status)) {
    throw new ContractError('printed JSON that is not an object');
  }
  if (typeof status.result !== 'string') throw new ContractError("printed JSON without a 'result'");
  if (status.rollout != null && typeof status.rollout !== 'object') {
    throw new ContractError("printed JSON whose 'rollout' is not an object");
  }
  return status;
}

/** The gates judged for the ring: the verdict's when there is one, else the current tallies. */
export function judgedGates(rollout) {
  if (!rollout) return [];
  if (rollout.verdict && Array.isArray(rollout.verdict.gates)) return rollout.verdict.gates;
  return Array.isArray(rollout.gates) ? rollout.gates : [];
}

export function failedGates(rollout) {
  return judgedGates(rollout).filter(gate => gate.verdict === 'FAIL' && !gate.dryRun);
}

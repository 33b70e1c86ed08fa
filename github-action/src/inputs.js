// Reads and validates the action's inputs. Every problem names the input, and nothing runs
// until all inputs are valid (the runner does not enforce `required:` from action.yml).

export const COMMANDS = ['start', 'advance', 'promote', 'rollback', 'abort', 'status'];

// Which inputs each command cannot do without.
const REQUIRED = {
  start: ['plan', 'version'],
  advance: ['rollout'],
  promote: ['rollout'],
  rollback: ['rollout', 'reason'],
  abort: ['rollout'],
  status: ['rollout'],
};

// Inputs that only make sense for some commands; given to another command they are a mistake.
const ONLY_FOR = {
  plan: ['start'],
  version: ['start'],
  'stable-version': ['start'],
  ring: ['promote'],
  reason: ['rollback', 'abort'],
  wait: ['status'],
  'rollout-id': ['advance', 'promote', 'rollback', 'abort', 'status'],
};

// The JSON contract is the only thing the wrapper reads, so callers may not switch it off.
const RESERVED_ARGS = ['--output', '-o'];

export class InputError extends Error {
  constructor(problems) {
    super(problems.join('\n'));
    this.name = 'InputError';
    this.problems = problems;
  }
}

/**
 * @param {(name: string) => string} get returns the trimmed value of an input, '' when absent
 */
export function readInputs(get) {
  const problems = [];
  const command = get('command');
  if (!command) {
    throw new InputError([`Input 'command' is required: one of ${COMMANDS.join(', ')}.`]);
  }
  if (!COMMANDS.includes(command)) {
    throw new InputError([`Input 'command' must be one of ${COMMANDS.join(', ')}; got '${command}'.`]);
  }

  for (const name of REQUIRED[command]) {
    if (!get(name)) problems.push(`Input '${name}' is required for command '${command}'.`);
  }
  for (const [name, commands] of Object.entries(ONLY_FOR)) {
    if (get(name) && !commands.includes(command)) {
      problems.push(`Input '${name}' applies only to command ${commands.map(c => `'${c}'`).join(' or ')}, not '${command}'.`);
    }
  }

  const failOnWaiting = readBoolean(get, 'fail-on-waiting', problems);
  const wait = readBoolean(get, 'wait', problems);
  const extraArgs = splitArgs(get('extra-args'));
  for (const arg of extraArgs) {
    const flag = arg.split('=')[0];
    if (RESERVED_ARGS.includes(flag)) {
      problems.push(`Input 'extra-args' may not contain '${flag}': the action always reads the JSON output.`);
    }
  }
  const secretEnv = readSecretEnv(get('secret-env'), problems);

  if (problems.length > 0) throw new InputError(problems);
  return {
    command,
    plan: get('plan'),
    rollout: get('rollout'),
    version: get('version'),
    stableVersion: get('stable-version'),
    ring: get('ring'),
    reason: get('reason'),
    wait,
    store: get('store'),
    stateDir: get('state-dir'),
    jar: get('jar'),
    java: get('java'),
    extraArgs,
    failOnWaiting,
    metricsToken: get('metrics-token'),
    rolloutId: get('rollout-id'),
    storeUser: get('store-user'),
    storePassword: get('store-password'),
    secretEnv,
  };
}

function readBoolean(get, name, problems) {
  const value = get(name);
  if (value === '') return false;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  problems.push(`Input '${name}' must be true or false; got '${value}'.`);
  return false;
}

// Extra arguments are data, never a shell string: split on whitespace, no quoting, no expansion.
// Values with spaces have their own inputs (reason, plan...).
export function splitArgs(text) {
  return text.split(/\s+/).filter(token => token !== '');
}

// `secret-env` holds NAME=value lines handed to the JAR as environment variables.
function readSecretEnv(text, problems) {
  const entries = [];
  const lines = text.split('\n').map(line => line.trim()).filter(line => line !== '' && !line.startsWith('#'));
  lines.forEach((line, index) => {
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    // Never echo the line itself: it holds a secret.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      problems.push(`Input 'secret-env' line ${index + 1} must be NAME=value with NAME made of letters, digits and _.`);
      return;
    }
    entries.push({ name, value: line.slice(eq + 1) });
  });
  return entries;
}

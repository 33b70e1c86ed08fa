// The action: read inputs, run `java -jar rollout.jar <command> ... --output json`, and map the
// JSON answer onto outputs, the job summary, annotations and the step's result.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import { InputError, readInputs } from './inputs.js';
import { SetupError, findJar, findJava } from './locate.js';
import { rolloutArguments } from './command-line.js';
import { ContractError, EXIT, failedGates, judgedGates, parseStatus } from './contract.js';
import { addSummary, outputsOf } from './report.js';
import { maskRawSecrets, redact, redactDeep, secretValues, secretVariables } from './secrets.js';

// dist/index.js (or src/main.js) lives one level below the action's directory.
const actionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function run(env = process.env) {
  const get = name => core.getInput(name);
  // Mask before anything can fail or print, even when other inputs are invalid.
  const masked = new Set(maskRawSecrets(get));
  for (const secret of masked) core.setSecret(secret);

  let inputs;
  try {
    inputs = readInputs(get);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    setOutputs(outputsOf(null, EXIT.INVALID));
    core.setFailed(error.message);
    return;
  }
  const secrets = secretValues(inputs);
  for (const secret of secrets) {
    if (!masked.has(secret)) core.setSecret(secret);
  }

  let jar;
  let java;
  try {
    jar = findJar(inputs, env, actionDir);
    java = await findJava(inputs, env);
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    setOutputs(outputsOf(null, EXIT.ERROR));
    core.setFailed(error.message);
    return;
  }

  // the JVM options of the CLI's launcher for a short-lived command (BENCHMARKS.md, "CLI start-up"): the serial
  // collector, and reflection through native accessors instead of method handles spun at first use
  const args = ['-XX:+UseSerialGC', '-Djdk.reflect.useNativeAccessorOnly=true', '-jar', jar, ...rolloutArguments(inputs)];
  core.info(redact(`Running ${[java, ...args].join(' ')}`, secrets));
  const answer = await runJar(java, args, childEnvironment(env, inputs), secrets);

  let status;
  try {
    // The JAR should never echo a secret; if it does, it goes no further than here.
    status = redactDeep(parseStatus(answer.stdout), secrets);
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    setOutputs(outputsOf(null, answer.code));
    core.setFailed(`rollout.jar (exit ${answer.code}) ${error.message}; see its log above.`);
    return;
  }

  setOutputs(outputsOf(status, answer.code));
  await writeSummary(status, answer.code, inputs.command, env);
  if (inputs.command === 'start' && inputs.rollout && status.rollout?.key && status.rollout.key !== inputs.rollout) {
    core.warning(`The plan's rollout is ${status.rollout.key}, not ${inputs.rollout} as input 'rollout' says; later steps must use ${status.rollout.key}.`);
  }
  conclude(status, answer.code, inputs);
}

// The JAR's human text (stderr) is echoed with workflow commands switched off, so a plan value
// such as a version string cannot smuggle `::set-output` or `::add-path` into the runner.
async function runJar(java, args, env, secrets) {
  const token = randomUUID();
  process.stdout.write(`::stop-commands::${token}\n`);
  let result;
  try {
    result = await getExecOutput(java, args, {
      env,
      ignoreReturnCode: true,
      silent: true,
      listeners: { errline: line => process.stdout.write(`${redact(line, secrets)}\n`) },
    });
  } finally {
    process.stdout.write(`::${token}::\n`);
  }
  return { code: result.exitCode, stdout: result.stdout };
}

// The JAR (and the deploy actions it runs) get the job's environment plus the secrets under
// their documented names, but not this action's own INPUT_* variables.
function childEnvironment(env, inputs) {
  const child = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('INPUT_') && value !== undefined) child[name] = value;
  }
  return { ...child, ...secretVariables(inputs) };
}

function setOutputs(outputs) {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}

async function writeSummary(status, exitCode, command, env) {
  if (!env.GITHUB_STEP_SUMMARY) {
    core.debug('GITHUB_STEP_SUMMARY is not set; no job summary written.');
    return;
  }
  await addSummary(core.summary, status, exitCode, command).write();
}

function conclude(status, exitCode, inputs) {
  const rollout = status.rollout;
  const where = rollout?.key ? `Rollout ${rollout.key}` : 'Rollout';
  const message = status.message ?? status.result;

  for (const gate of judgedGates(rollout)) {
    if (gate.verdict === 'INCONCLUSIVE') {
      core.warning(gate.reason ?? 'inconclusive', { title: `Gate ${gate.gate} inconclusive in ring ${rollout.verdict?.ring ?? rollout.ring}` });
    }
  }

  // A rollback that was asked for and happened is the step's success, whatever code marks "rolled back".
  if (inputs.command === 'rollback' && rollout?.status === 'ROLLED_BACK' && (exitCode === EXIT.OK || exitCode === EXIT.GATE_FAILED)) {
    core.notice(message, { title: `${where} rolled back to ${rollout.stableVersion ?? 'the stable version'}` });
    return;
  }

  switch (exitCode) {
    case EXIT.REVERT_FAILED:
      // Not "rolled back": nobody knows what production runs now. Said apart from exit 3 on purpose.
      core.error(message, { title: `${where}: the revert failed, production state unknown` });
      core.setFailed(`${where}: the revert failed (exit 6): production state is unknown and a person must resolve it. ${message}`);
      return;
    case EXIT.OK:
      core.info(`${where}: ${status.result}: ${message}`);
      return;
    case EXIT.WAITING:
      if (inputs.failOnWaiting) {
        core.setFailed(`${where} is waiting: ${message}`);
      } else {
        const next = rollout?.commands?.promote ? ` Promote: ${rollout.commands.promote}` : '';
        core.notice(message + next, { title: `${where} is waiting` });
      }
      return;
    case EXIT.GATE_FAILED: {
      const failed = failedGates(rollout);
      for (const gate of failed) {
        core.error(gate.reason ?? 'failed', { title: `Gate ${gate.gate} failed in ring ${rollout.verdict?.ring ?? rollout.ring}` });
      }
      core.setFailed(`${where}: ${status.result}: ${message}`);
      return;
    }
    case EXIT.INVALID: {
      const problems = Array.isArray(status.problems) ? status.problems : [];
      for (const problem of problems) {
        const properties = { title: problem.path ? `Invalid ${problem.path}` : 'Invalid input' };
        if (inputs.plan && Number.isInteger(problem.line)) {
          properties.file = inputs.plan;
          properties.startLine = problem.line;
        }
        core.error(problem.message ?? 'invalid', properties);
      }
      core.setFailed(`${where}: invalid input: ${message}`);
      return;
    }
    case EXIT.CONFLICT:
      core.setFailed(`${where}: conflict: ${message}`);
      return;
    default:
      core.setFailed(`${where}: rollout.jar failed (exit ${exitCode}): ${message}`);
  }
}

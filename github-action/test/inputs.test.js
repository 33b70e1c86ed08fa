// Bad inputs stop the action with a message naming the input, before the JAR runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAction, workflowCommands } from '../test-support/harness.js';

const NO_JAR = '/nonexistent/rollout.jar';

async function expectInputError(inputs, expected) {
  const run = await runAction({ jar: NO_JAR, ...inputs });
  assert.equal(run.code, 1, run.stdout);
  const errors = workflowCommands(run.stdout, 'error').map(e => e.message).join('\n');
  assert.match(errors, expected);
  assert.doesNotMatch(run.stdout, /Running /, 'the JAR must not run');
  assert.equal(run.outputs['exit-code'], '2');
  assert.equal(run.summary, '');
  return run;
}

describe('required inputs', () => {
  it('a missing command names the input and the commands', async () => {
    await expectInputError({}, /Input 'command' is required: one of start, advance, promote, rollback, abort, status/);
  });

  it('an unknown command is refused', async () => {
    await expectInputError({ command: 'deploy' }, /Input 'command' must be one of .*; got 'deploy'/);
  });

  it('rollback without a reason names the missing input', async () => {
    await expectInputError({ command: 'rollback', rollout: 'checkout/production' },
      /Input 'reason' is required for command 'rollback'/);
  });

  it('start names every missing input at once', async () => {
    const run = await expectInputError({ command: 'start' }, /Input 'plan' is required for command 'start'/);
    assert.match(run.stdout, /Input 'version' is required for command 'start'/);
  });

  it('advance needs the rollout key', async () => {
    await expectInputError({ command: 'advance' }, /Input 'rollout' is required for command 'advance'/);
  });
});

describe('invalid inputs', () => {
  it('an input meant for another command is refused', async () => {
    await expectInputError({ command: 'advance', rollout: 'checkout/production', ring: 'canary' },
      /Input 'ring' applies only to command 'promote', not 'advance'/);
  });

  it('a boolean input accepts only true or false', async () => {
    await expectInputError({ command: 'status', rollout: 'checkout/production', wait: 'yes' },
      /Input 'wait' must be true or false; got 'yes'/);
  });

  it('extra-args may not take over the JSON output', async () => {
    await expectInputError({ command: 'status', rollout: 'checkout/production', 'extra-args': '--output text' },
      /Input 'extra-args' may not contain '--output'/);
  });

  it('a malformed secret-env line is reported without its value', async () => {
    const run = await expectInputError({ command: 'status', rollout: 'a/b', 'secret-env': 'GOOD=x1y2z3\nno-equals-hunter2' },
      /Input 'secret-env' line 2 must be NAME=value/);
    const unmasked = run.stdout.split('\n').filter(line => !line.startsWith('::add-mask::')).join('\n');
    assert.doesNotMatch(unmasked, /hunter2|x1y2z3/);
    assert.match(run.stdout, /::add-mask::no-equals-hunter2/);
  });
});

describe('setup', () => {
  it('a jar input that is not a file is named', async () => {
    const run = await runAction({ command: 'status', rollout: 'checkout/production', jar: NO_JAR });
    assert.equal(run.code, 1);
    assert.match(workflowCommands(run.stdout, 'error')[0].message, /Input 'jar' names '\/nonexistent\/rollout.jar', which is not a file/);
    assert.equal(run.outputs['exit-code'], '1');
  });

  it('no Java anywhere points to actions/setup-java', async () => {
    const run = await runAction({ command: 'status', rollout: 'checkout/production', jar: import.meta.filename ?? new URL(import.meta.url).pathname },
      { env: { PATH: '/nonexistent', JAVA_HOME: '' } });
    assert.equal(run.code, 1);
    assert.match(workflowCommands(run.stdout, 'error')[0].message, /Java was not found.*Run actions\/setup-java before this action/);
  });
});

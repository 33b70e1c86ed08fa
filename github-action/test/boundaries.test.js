// What the action keeps apart: the job's secrets from deploy commands (16.6), one rollout from another (14),
// "rolled back" from "the revert failed" (exit 6), and one step from a second JVM (18).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir, workflowCommands } from '../test-support/harness.js';
import { KEY, TIMEOUT, rolloutWorld } from '../test-support/rollouts.js';

const world = rolloutWorld();

describe('the action keeps things apart', { concurrency: 2 }, () => {
  it('gives deploy commands only what the plan passes them, never the step\'s secrets', TIMEOUT, async () => {
    const plan = world.plan();
    plan.actions.deploy = {
      kind: 'command',
      command: [process.execPath, '-e', "require('fs').writeFileSync('deploy-env.json', JSON.stringify(process.env))"],
      env: { REGION: 'eu-1' },
      passEnv: ['DEPLOY_CONTEXT'],
    };
    const workDir = world.workspace(plan);
    await world.start(workDir);
    const run = await world.run(workDir, {
      command: 'advance', rollout: KEY,
      'metrics-token': 'metrics-token-3f9a', 'store-password': 'db-password-77c1',
      'secret-env': 'PROM_TOKEN=prom-token-d2e8\nDEPLOY_KEY=deploy-key-aa10',
    }).then(r => r);
    assert.equal(run.code, 0, run.stdout);
    const env = JSON.parse(fs.readFileSync(path.join(workDir, 'deploy-env.json'), 'utf8'));
    const text = JSON.stringify(env);
    for (const secret of ['metrics-token-3f9a', 'db-password-77c1', 'prom-token-d2e8', 'deploy-key-aa10']) {
      assert.ok(!text.includes(secret), `the deploy command does not see ${secret}`);
    }
    assert.ok(!Object.keys(env).some(name => name.startsWith('INPUT_') || name.startsWith('GITHUB_')), Object.keys(env).join(' '));
    assert.equal(env.REGION, 'eu-1');
    assert.equal(env.ROLLOUT_RING, 'canary');
    assert.equal(env.ROLLOUT_VERSION, '2.0.0');
  });

  it('passes a host variable the plan names in passEnv', TIMEOUT, async () => {
    const plan = world.plan();
    plan.actions.deploy = {
      kind: 'command',
      command: [process.execPath, '-e', "require('fs').writeFileSync('context.txt', process.env.DEPLOY_CONTEXT ?? 'unset')"],
      passEnv: ['DEPLOY_CONTEXT'],
    };
    const workDir = world.workspace(plan);
    await world.start(workDir);
    const run = await world.run(workDir, { command: 'advance', rollout: KEY });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(fs.readFileSync(path.join(workDir, 'context.txt'), 'utf8'), 'unset');
  });

  it('refuses, with exit 5, a step bound to a rollout that is no longer the key\'s', { timeout: 240_000 }, async () => {
    const workDir = world.workspace(world.plan({ approval: 'manual' }));
    const first = await world.start(workDir);
    const oldId = first.outputs['rollout-id'];
    assert.equal((await world.run(workDir, { command: 'abort', rollout: KEY, reason: 'superseded' })).code, 0);
    const second = await world.start(workDir, { version: '2.1.0' });
    const newId = second.outputs['rollout-id'];
    assert.equal((await world.advance(workDir, { 'rollout-id': newId })).outputs.status, 'AWAITING_APPROVAL');

    const stale = await world.run(workDir, { command: 'promote', rollout: KEY, ring: 'canary', 'rollout-id': oldId });

    assert.equal(stale.code, 1);
    assert.equal(stale.outputs['exit-code'], '5');
    assert.equal(stale.outputs.result, 'conflict');
    assert.match(workflowCommands(stale.stdout, 'error').map(e => e.message).join('\n'), new RegExp(`${oldId}[\\s\\S]*${newId}|${newId}[\\s\\S]*${oldId}`));
    const status = await world.run(workDir, { command: 'status', rollout: KEY });
    assert.equal(status.outputs['rollout-id'], newId);
    assert.equal(status.outputs.status, 'AWAITING_APPROVAL');
  });

  it('tells a failed revert (exit 6) apart from a rollback', TIMEOUT, async () => {
    const plan = world.plan({ gatePath: '/broken' });
    plan.actions.revert = { kind: 'command', command: [process.execPath, '-e', 'process.exit(7)'] };
    const workDir = world.workspace(plan);
    await world.start(workDir);

    const run = await world.advance(workDir);

    assert.equal(run.code, 1);
    assert.equal(run.outputs['exit-code'], '6');
    assert.equal(run.outputs.status, 'FAILED');
    const errors = workflowCommands(run.stdout, 'error');
    assert.ok(errors.some(e => /revert failed, production state unknown/.test(e.properties.title ?? '')), JSON.stringify(errors));
    assert.match(run.summary, /The revert failed: production state is unknown/);
  });

  it('starts one JVM per step', { timeout: 240_000 }, async () => {
    const workDir = world.workspace(world.plan());
    const count = path.join(workDir, 'jvms.txt');
    const realJava = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : '/usr/bin/java';
    const shim = path.join(tempDir(), 'java');
    fs.writeFileSync(shim, `#!/bin/sh\necho jvm >> '${count}'\nexec '${realJava}' "$@"\n`, { mode: 0o755 });
    await world.start(workDir, { java: shim });
    await world.advance(workDir, { java: shim });
    await world.run(workDir, { command: 'status', rollout: KEY, java: shim });
    assert.equal(fs.readFileSync(count, 'utf8'), 'jvm\njvm\njvm\n');
  });
});

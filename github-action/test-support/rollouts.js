// A small rollout world for the end-to-end tests: a gate endpoint on 127.0.0.1, plans whose
// deploy and revert actions are real commands, and the action's commands run with the real JAR.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { rolloutJar, runAction, startGateEndpoint, tempDir } from './harness.js';

export const KEY = 'checkout/production';
export const TIMEOUT = { timeout: 60_000 };

// Deploy and revert append to deploys.log in the working directory.
const recordAction = operation => ({
  kind: 'command',
  command: [process.execPath, '-e',
    `require('fs').appendFileSync('deploys.log', '${operation} ' + process.env.ROLLOUT_RING + ' ' + process.env.ROLLOUT_VERSION + '\\n')`],
});

/** Registers the endpoint's lifecycle in the calling test file and returns the helpers. */
export function rolloutWorld() {
  const world = { endpoint: null, jar: null };
  before(async () => {
    world.jar = rolloutJar();
    world.endpoint = await startGateEndpoint();
  });
  after(() => world.endpoint?.close());

  /** Two rings, canary then everyone, judged by one http gate measured twice. */
  world.plan = ({ gatePath = '/healthy', approval = 'auto', tokenEnv, json } = {}) => {
    const gate = { kind: 'http', url: world.endpoint.url(gatePath), interval: '200ms', count: 2 };
    if (tokenEnv) gate.tokenEnv = tokenEnv;
    if (json) gate.json = json;
    return {
      service: 'checkout',
      environment: 'production',
      rings: [
        { name: 'canary', exposure: '10%', bake: '0s', gates: ['smoke'], approval },
        { name: 'everyone', exposure: '100%', bake: '0s', gates: ['smoke'] },
      ],
      gates: { smoke: gate },
      actions: { deploy: recordAction('deploy'), revert: recordAction('revert') },
    };
  };

  /** A fresh working directory holding the plan as rollout.json; the file store lives in it too. */
  world.workspace = planObject => {
    const workDir = tempDir();
    fs.writeFileSync(path.join(workDir, 'rollout.json'), JSON.stringify(planObject, null, 2));
    return workDir;
  };

  world.deploys = workDir => fs.readFileSync(path.join(workDir, 'deploys.log'), 'utf8');

  /** Runs the action in workDir with the JAR and the workspace's state directory. */
  world.run = (workDir, inputs) => runAction({ jar: world.jar, 'state-dir': path.join(workDir, 'state'), ...inputs }, { workDir });

  world.start = async (workDir, extra = {}) => {
    const run = await world.run(workDir, { command: 'start', plan: 'rollout.json', version: '2.0.0', 'stable-version': '1.9.0', ...extra });
    assert.equal(run.code, 0, `start failed:\n${run.stdout}\n${run.stderr}`);
    return run;
  };

  world.advance = (workDir, extra = {}) => world.run(workDir, { command: 'advance', rollout: KEY, ...extra });
  return world;
}

// Whole rollouts through the action and the real rollout.jar: every ring, a rollback asked for,
// a ring waiting for a person and the promote that releases it.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { workflowCommands } from '../test-support/harness.js';
import { KEY, TIMEOUT, rolloutWorld } from '../test-support/rollouts.js';

const world = rolloutWorld();

// Each JAR run starts a JVM (seconds on a busy machine), so tests run two at a time.
describe('the action with the real rollout.jar: whole rollouts', { concurrency: 2 }, () => {
  describe('a rollout advanced through every ring', () => {
    let workDir;
    let last;
    before(async () => {
      workDir = world.workspace(world.plan());
      await world.start(workDir);
      assert.equal((await world.advance(workDir)).code, 0);
      last = await world.advance(workDir);
    });

    it('is completed', TIMEOUT, () => {
      assert.equal(last.code, 0, last.stdout);
      assert.equal(last.outputs.status, 'COMPLETED');
      assert.equal(last.outputs.ring, 'everyone');
      assert.equal(world.deploys(workDir), 'deploy canary 2.0.0\ndeploy everyone 2.0.0\n');
    });

    it('rolls back on request to the stable version, as a successful step', TIMEOUT, async () => {
      const run = await world.run(workDir, { command: 'rollback', rollout: KEY, reason: 'error budget spent' });
      assert.equal(run.code, 0, run.stdout);
      assert.equal(run.outputs.status, 'ROLLED_BACK');
      assert.equal(run.outputs['stable-version'], '1.9.0');
      assert.match(world.deploys(workDir), /revert everyone 1\.9\.0\n$/);
    });
  });

  // one rollout, in order: the promote at the end must not race the status --wait before it
  describe('a rollout waiting for approval', { concurrency: 1 }, () => {
    let workDir;
    let waiting;
    before(async () => {
      workDir = world.workspace(world.plan({ approval: 'manual' }));
      await world.start(workDir);
      waiting = await world.advance(workDir);
    });

    it('leaves a notice, not a failure', TIMEOUT, () => {
      assert.equal(waiting.code, 0, waiting.stdout);
      assert.equal(waiting.outputs['exit-code'], '4');
      assert.equal(waiting.outputs.status, 'AWAITING_APPROVAL');
      assert.equal(workflowCommands(waiting.stdout, 'notice').length, 1);
      assert.deepEqual(workflowCommands(waiting.stdout, 'error'), []);
    });

    it('fails the step when fail-on-waiting says so', TIMEOUT, async () => {
      const run = await world.run(workDir, { command: 'status', rollout: KEY, wait: 'true', 'fail-on-waiting': 'true' });
      assert.equal(run.code, 1);
      assert.equal(run.outputs['exit-code'], '4');
      assert.match(workflowCommands(run.stdout, 'error')[0].message, /waiting/);
    });

    it('is promoted once by promote naming the ring', TIMEOUT, async () => {
      const promoted = await world.run(workDir, { command: 'promote', rollout: KEY, ring: 'canary' });
      assert.equal(promoted.code, 0, promoted.stdout);
      assert.equal(promoted.outputs.status, 'PROMOTING');
      const again = await world.run(workDir, { command: 'promote', rollout: KEY, ring: 'canary' });
      assert.equal(again.outputs.result, 'already-done');
      assert.equal(again.outputs.status, 'PROMOTING');
    });
  });

});

// Issue 16.5: the job summary is HTML a browser and a parser read the same way — for a ring without gates, before
// the first ring, after a verdict — and says where the rollout stands in words.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertWellFormedHtml, textOf } from '../test-support/html.js';
import { TIMEOUT, rolloutWorld } from '../test-support/rollouts.js';

const world = rolloutWorld();

describe('the job summary', { concurrency: 1 }, () => {
  let workDir;
  let started;
  let advanced;
  before(async () => {
    const plan = world.plan();
    plan.rings.unshift({ name: 'dark-launch', exposure: '1%', bake: '0s', gates: [] }); // a ring without gates
    workDir = world.workspace(plan);
    started = await world.start(workDir);
    advanced = await world.advance(workDir);
  });

  it('of start is well-formed and names no ring that is not deployed yet', TIMEOUT, () => {
    const text = textOf(assertWellFormedHtml(started.summary));
    assert.match(text, /none deployed yet \(3 rings\)/);
    assert.doesNotMatch(text, /\(0 of 3\)/);
  });

  it('of a ring without gates is well-formed, every empty cell shown as a dash', TIMEOUT, () => {
    assert.equal(advanced.code, 0, advanced.stdout);
    const root = assertWellFormedHtml(advanced.summary);
    const text = textOf(root);
    assert.match(text, /dark-launch \(1 of 3\)/);
    assert.match(text, /dark-launch 1% 0s auto — done/);
    assert.match(text, /No gate measured yet|Verdict for ring dark-launch/);
  });

  it('lists the id-bound commands for the rollout', TIMEOUT, () => {
    const text = textOf(assertWellFormedHtml(advanced.summary));
    assert.match(text, /rollout advance --rollout checkout\/production --rollout-id r-[0-9a-f]+/);
    assert.match(text, /rollout rollback --rollout checkout\/production --rollout-id r-[0-9a-f]+/);
  });
});

// The committed bundle is what GitHub runs: it must be built from the current sources, and
// action.yml, the code and the example workflow must agree on every input and output.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { bundle } from '../build.mjs';
import { readInputs } from '../src/inputs.js';
import { outputsOf } from '../src/report.js';
import { maskRawSecrets } from '../src/secrets.js';
import { ACTION_DIR, tempDir } from '../test-support/harness.js';

const actionYml = parse(fs.readFileSync(path.join(ACTION_DIR, 'action.yml'), 'utf8'));
const declaredInputs = Object.keys(actionYml.inputs).sort();
const declaredOutputs = Object.keys(actionYml.outputs).sort();

// Every input name the wrapper asks for, recorded while it reads a valid set of inputs.
function inputsReadByCode() {
  const names = new Set();
  const given = { command: 'status', rollout: 'checkout/production' };
  const get = name => { names.add(name); return given[name] ?? ''; };
  maskRawSecrets(get);
  readInputs(get);
  return [...names].sort();
}

describe('the bundle', () => {
  it('dist/index.js is exactly what the sources build to', async () => {
    const fresh = await bundle(path.join(tempDir('rollout-bundle-'), 'index.js'));
    const committed = fs.readFileSync(path.join(ACTION_DIR, 'dist', 'index.js'), 'utf8');
    assert.ok(committed === fs.readFileSync(fresh, 'utf8'), 'dist/index.js is stale: run `npm run build` and commit dist/');
  });

  it('action.yml runs the bundle on node24', () => {
    assert.deepEqual(actionYml.runs, { using: 'node24', main: 'dist/index.js' });
  });
});

describe('action.yml', () => {
  it('declares exactly the inputs the code reads', () => {
    assert.deepEqual(declaredInputs, inputsReadByCode());
  });

  it('declares exactly the outputs the code sets', () => {
    assert.deepEqual(declaredOutputs, Object.keys(outputsOf(null, 0)).sort());
  });

  it('enforces required inputs in code, not by the runner', () => {
    for (const [name, input] of Object.entries(actionYml.inputs)) {
      assert.ok(input.description, `input ${name} has a description`);
      assert.equal(input.required, name === 'command', `only 'command' is required for every command (${name})`);
    }
  });
});

describe('examples/github-workflow.yml', () => {
  const workflowText = fs.readFileSync(path.join(ACTION_DIR, '..', 'examples', 'github-workflow.yml'), 'utf8');
  const workflow = parse(workflowText);
  const jobs = Object.entries(workflow.jobs);
  const actionSteps = jobs.flatMap(([job, spec]) => (spec.steps ?? [])
    .filter(step => typeof step.uses === 'string' && /(^\.\/|\/)github-action(@|$)/.test(step.uses))
    .map(step => ({ job, step })));

  it('uses the action in several jobs', () => {
    assert.ok(actionSteps.length >= 4, `found ${actionSteps.length} uses of the action`);
  });

  it('gives the action only declared inputs, and a known command', () => {
    for (const { job, step } of actionSteps) {
      for (const name of Object.keys(step.with ?? {})) {
        assert.ok(declaredInputs.includes(name), `job ${job} passes undeclared input '${name}'`);
      }
      assert.ok(['start', 'advance', 'promote', 'rollback', 'abort', 'status'].includes(step.with?.command), `job ${job} command`);
    }
  });

  it('reads only declared outputs of the action', () => {
    const actionStepIds = new Map(actionSteps.filter(({ step }) => step.id).map(({ job, step }) => [`${job}/${step.id}`, true]));
    for (const [job, spec] of jobs) {
      const text = JSON.stringify(spec);
      for (const [, id, output] of text.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
        assert.ok(actionStepIds.has(`${job}/${id}`), `job ${job} reads outputs of step ${id}, which is not the action`);
        assert.ok(declaredOutputs.includes(output), `job ${job} reads undeclared output '${output}'`);
      }
    }
  });

  it('reads only outputs that the needed jobs declare', () => {
    for (const [job, spec] of jobs) {
      const text = JSON.stringify(spec);
      for (const [, needed, output] of text.matchAll(/needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
        const needs = [spec.needs ?? []].flat();
        assert.ok(needs.includes(needed), `job ${job} reads needs.${needed} without needing it`);
        assert.ok(Object.keys(workflow.jobs[needed].outputs ?? {}).includes(output), `job ${needed} declares no output '${output}'`);
      }
    }
  });

  it('serialises rollouts and rolls back on failure', () => {
    assert.equal(workflow.concurrency?.['cancel-in-progress'], false);
    const rollback = actionSteps.find(({ step }) => step.with.command === 'rollback');
    assert.ok(rollback, 'a rollback step');
    assert.match(String(workflow.jobs[rollback.job].if), /failure\(\)/);
  });
});

// The action end to end: the bundled wrapper runs the real rollout.jar, whose gates probe an HTTP
// endpoint served by this test. Every assertion reads what a runner would read: the exit code,
// workflow commands on stdout and the GITHUB_* files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rolloutJar, runAction, startGateEndpoint, tempDir, workflowCommands } from '../test-support/harness.js';

const KEY = 'checkout/production';
let endpoint;
let jar;

before(async () => {
  jar = rolloutJar();
  endpoint = await startGateEndpoint();
});
after(() => endpoint?.close());

// Deploy and revert are real commands: they append to deploys.log in the working directory.
const recordAction = operation => ({
  kind: 'command',
  command: [process.execPath, '-e',
    `require('fs').appendFileSync('deploys.log', '${operation} ' + process.env.ROLLOUT_RING + ' ' + process.env.ROLLOUT_VERSION + '\\n')`],
});

function plan({ gatePath = '/healthy', approval = 'auto', tokenEnv } = {}) {
  const gate = { kind: 'http', url: endpoint.url(gatePath), interval: '200ms', count: 2 };
  if (tokenEnv) gate.tokenEnv = tokenEnv;
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
}

/** A fresh working directory holding the plan; the file store lives in it too. */
function workspace(planObject) {
  const workDir = tempDir();
  fs.writeFileSync(path.join(workDir, 'rollout.json'), JSON.stringify(planObject, null, 2));
  return workDir;
}

const common = workDir => ({ jar, 'state-dir': path.join(workDir, 'state') });

async function start(workDir, extra = {}) {
  const run = await runAction({ ...common(workDir), command: 'start', plan: 'rollout.json', version: '2.0.0', 'stable-version': '1.9.0', ...extra }, { workDir });
  assert.equal(run.code, 0, `start failed:\n${run.stdout}\n${run.stderr}`);
  return run;
}

const advance = (workDir, extra = {}) => runAction({ ...common(workDir), command: 'advance', rollout: KEY, ...extra }, { workDir });

describe('the action with the real rollout.jar', () => {
  it('start sets every output from the JSON status', async () => {
    const workDir = workspace(plan());
    const run = await start(workDir);
    assert.equal(run.outputs.status, 'PENDING');
    assert.equal(run.outputs['rollout-key'], KEY);
    assert.match(run.outputs['rollout-id'], /\S/);
    assert.equal(run.outputs['stable-version'], '1.9.0');
    assert.equal(run.outputs.result, 'applied');
    assert.equal(run.outputs['exit-code'], '0');
    assert.deepEqual(Object.keys(run.outputs).sort(),
      ['exit-code', 'result', 'ring', 'rollout-id', 'rollout-key', 'stable-version', 'status', 'verdict']);
  });

  it('a passing gate advances the ring and the summary shows rings, gates and the verdict', async () => {
    const workDir = workspace(plan());
    const started = await start(workDir);
    const run = await advance(workDir);

    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs.verdict, 'PASS');
    assert.equal(run.outputs.ring, 'canary');
    assert.equal(run.outputs.status, 'PROMOTING');
    assert.equal(run.outputs['rollout-id'], started.outputs['rollout-id']);
    assert.equal(run.outputs['exit-code'], '0');
    assert.deepEqual(workflowCommands(run.stdout, 'error'), []);
    assert.equal(fs.readFileSync(path.join(workDir, 'deploys.log'), 'utf8'), 'deploy canary 2.0.0\n');
    assert.ok(endpoint.seen.filter(r => r.path === '/healthy').length >= 2, 'the gate probed the endpoint');

    const summary = run.summary;
    assert.match(summary, /<h2>Rollout checkout\/production<\/h2>/);
    assert.match(summary, /<tr><th>Ring<\/th><th>Exposure<\/th><th>Bake<\/th><th>Approval<\/th><th>Gates<\/th><th>State<\/th><\/tr>/);
    assert.match(summary, /<tr><td>canary<\/td><td>10%<\/td><td>[^<]*<\/td><td>auto<\/td><td>smoke<\/td><td>done<\/td><\/tr>/);
    assert.match(summary, /<tr><td>everyone<\/td><td>100%<\/td>.*?<\/tr>/);
    assert.match(summary, /<h3>Verdict for ring canary: PASS<\/h3>/);
    assert.match(summary, /<tr><td>smoke<\/td><td>PASS<\/td><td>2<\/td><td>2<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>PASS [^<]*<\/td><td>[^<]+<\/td><\/tr>/);
  });

  it('advancing every ring completes the rollout', async () => {
    const workDir = workspace(plan());
    await start(workDir);
    assert.equal((await advance(workDir)).code, 0);
    const last = await advance(workDir);
    assert.equal(last.code, 0, last.stdout);
    assert.equal(last.outputs.status, 'COMPLETED');
    assert.equal(last.outputs.ring, 'everyone');
    assert.equal(fs.readFileSync(path.join(workDir, 'deploys.log'), 'utf8'), 'deploy canary 2.0.0\ndeploy everyone 2.0.0\n');
  });

  it('a failing gate fails the step with an error annotation and rolls back', async () => {
    const workDir = workspace(plan({ gatePath: '/broken' }));
    await start(workDir);
    const run = await advance(workDir);

    assert.equal(run.code, 1, run.stdout);
    assert.equal(run.outputs['exit-code'], '3');
    assert.equal(run.outputs.verdict, 'FAIL');
    assert.equal(run.outputs.status, 'ROLLED_BACK');
    const errors = workflowCommands(run.stdout, 'error');
    const gateError = errors.find(e => e.properties.title === 'Gate smoke failed in ring canary');
    assert.ok(gateError, `an error annotation for the gate in:\n${run.stdout}`);
    assert.match(gateError.message, /500/);
    assert.match(run.summary, /<h3>Verdict for ring canary: FAIL<\/h3>/);
    assert.match(run.summary, /<tr><td>smoke<\/td><td>FAIL<\/td>/);
    assert.equal(fs.readFileSync(path.join(workDir, 'deploys.log'), 'utf8'), 'deploy canary 2.0.0\nrevert canary 1.9.0\n');
  });

  it('a ring waiting for approval leaves a notice, and promote releases it', async () => {
    const workDir = workspace(plan({ approval: 'manual' }));
    await start(workDir);
    const waiting = await advance(workDir);
    assert.equal(waiting.code, 0, waiting.stdout);
    assert.equal(waiting.outputs['exit-code'], '4');
    assert.equal(waiting.outputs.status, 'AWAITING_APPROVAL');
    assert.equal(workflowCommands(waiting.stdout, 'notice').length, 1);
    assert.deepEqual(workflowCommands(waiting.stdout, 'error'), []);

    const promoted = await runAction({ ...common(workDir), command: 'promote', rollout: KEY, ring: 'canary' }, { workDir });
    assert.equal(promoted.code, 0, promoted.stdout);
    assert.equal(promoted.outputs.status, 'PROMOTING');
    const again = await runAction({ ...common(workDir), command: 'promote', rollout: KEY, ring: 'canary' }, { workDir });
    assert.equal(again.outputs.result, 'already-done');
    assert.equal(again.outputs.status, 'PROMOTING');
  });

  it('fail-on-waiting turns a wait into a failed step', async () => {
    const workDir = workspace(plan({ approval: 'manual' }));
    await start(workDir);
    const run = await advance(workDir, { 'fail-on-waiting': 'true' });
    assert.equal(run.code, 1);
    assert.equal(run.outputs['exit-code'], '4');
    assert.match(workflowCommands(run.stdout, 'error')[0].message, /waiting/);
  });

  it('rollback on request returns to the stable version', async () => {
    const workDir = workspace(plan({ approval: 'manual' }));
    await start(workDir);
    await advance(workDir);
    const run = await runAction({ ...common(workDir), command: 'rollback', rollout: KEY, reason: 'error budget spent' }, { workDir });
    assert.equal(run.outputs.status, 'ROLLED_BACK', run.stdout);
    assert.equal(run.outputs['stable-version'], '1.9.0');
    assert.match(fs.readFileSync(path.join(workDir, 'deploys.log'), 'utf8'), /revert canary 1\.9\.0\n$/);
  });

  it('an invalid plan is annotated at the line of each problem', async () => {
    const workDir = tempDir();
    fs.writeFileSync(path.join(workDir, 'rollout.yaml'), [
      'service: checkout',
      'environment: production',
      'rings:',
      '  - name: canary',
      '    exposure: 250%',
      '    bake: 10m',
      '',
    ].join('\n'));
    const run = await runAction({ ...common(workDir), command: 'start', plan: 'rollout.yaml', version: '2.0.0' }, { workDir });
    assert.equal(run.code, 1);
    assert.equal(run.outputs['exit-code'], '2');
    const annotated = workflowCommands(run.stdout, 'error').find(e => e.properties.file === 'rollout.yaml');
    assert.ok(annotated, run.stdout);
    assert.equal(annotated.properties.line, '5');
    assert.match(annotated.properties.title, /rings\[0\]\.exposure/);
    assert.match(run.summary, /<h3>Problems<\/h3>/);
  });

  it('a secret reaches the gate but is never printed or stored', async () => {
    const token = 'tok-9f2c1e77-secret';
    const workDir = workspace(plan({ tokenEnv: 'ROLLOUT_METRICS_TOKEN' }));
    await start(workDir, { 'metrics-token': token });
    const run = await advance(workDir, { 'metrics-token': token });

    assert.equal(run.code, 0, run.stdout);
    assert.ok(endpoint.seen.some(r => r.authorization === `Bearer ${token}`), 'the gate sent the token');
    const lines = run.stdout.split('\n');
    assert.ok(lines.includes(`::add-mask::${token}`), 'the token is masked');
    const printed = [...lines.filter(line => !line.startsWith('::add-mask::')), run.stderr].join('\n');
    assert.ok(!printed.includes(token), 'the token is not printed');
    for (const [name, content] of Object.entries(run.files)) {
      assert.ok(!content.includes(token), `the token is not in ${name}`);
    }
    for (const file of listFiles(path.join(workDir, 'state'))) {
      assert.ok(!fs.readFileSync(file, 'utf8').includes(token), `the token is not in ${file}`);
    }
  });
});

function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

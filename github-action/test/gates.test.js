// The action end to end on gates: the bundled wrapper runs the real rollout.jar, whose http gate
// probes an endpoint served by this test. Assertions read what a runner reads: the exit code,
// workflow commands on stdout and the GITHUB_* files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir, workflowCommands } from '../test-support/harness.js';
import { KEY, TIMEOUT, rolloutWorld } from '../test-support/rollouts.js';

const world = rolloutWorld();

// Each JAR run starts a JVM (seconds on a busy machine), so tests run two at a time.
describe('the action with the real rollout.jar: gates', { concurrency: 2 }, () => {
  it('start, then advance through a passing gate: outputs, and a summary of rings, gates and verdict', TIMEOUT, async () => {
    const workDir = world.workspace(world.plan());
    const started = await world.start(workDir);
    assert.equal(started.outputs.status, 'PENDING');
    assert.equal(started.outputs['rollout-key'], KEY);
    assert.match(started.outputs['rollout-id'], /\S/);
    assert.equal(started.outputs['stable-version'], '1.9.0');
    assert.equal(started.outputs.result, 'applied');
    assert.deepEqual(Object.keys(started.outputs).sort(),
      ['exit-code', 'result', 'ring', 'rollout-id', 'rollout-key', 'stable-version', 'status', 'verdict']);

    const run = await world.advance(workDir);
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs.verdict, 'PASS');
    assert.equal(run.outputs.ring, 'canary');
    assert.equal(run.outputs.status, 'PROMOTING');
    assert.equal(run.outputs['rollout-id'], started.outputs['rollout-id']);
    assert.equal(run.outputs['exit-code'], '0');
    assert.deepEqual(workflowCommands(run.stdout, 'error'), []);
    assert.deepEqual(run.exported, {}, 'nothing leaks into later steps through GITHUB_ENV');
    assert.deepEqual(run.state, {});
    assert.equal(world.deploys(workDir), 'deploy canary 2.0.0\n');
    assert.ok(world.endpoint.seen.filter(r => r.path === '/healthy').length >= 2, 'the gate probed the endpoint');

    const summary = run.summary;
    assert.match(summary, /<h2>Rollout checkout\/production<\/h2>/);
    assert.match(summary, /<tr><th>Ring<\/th><th>Exposure<\/th><th>Bake<\/th><th>Approval<\/th><th>Gates<\/th><th>State<\/th><\/tr>/);
    assert.match(summary, /<tr><td>canary<\/td><td>10%<\/td><td>[^<]*<\/td><td>auto<\/td><td>smoke<\/td><td>done<\/td><\/tr>/);
    assert.match(summary, /<tr><td>everyone<\/td><td>100%<\/td>.*?<td>pending<\/td><\/tr>/);
    assert.match(summary, /<h3>Verdict for ring canary: PASS<\/h3>/);
    assert.match(summary, /<tr><td>smoke<\/td><td>PASS<\/td><td>2<\/td><td>2<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>PASS [^<]*<\/td><td>[^<]+<\/td><\/tr>/);
  });

  it('a failing gate fails the step with an error annotation and rolls back', TIMEOUT, async () => {
    const workDir = world.workspace(world.plan({ gatePath: '/broken' }));
    await world.start(workDir);
    const run = await world.advance(workDir);

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
    assert.equal(world.deploys(workDir), 'deploy canary 2.0.0\nrevert canary 1.9.0\n');
  });

  it('missing data is never a pass: an inconclusive gate holds the ring with a warning', TIMEOUT, async () => {
    const workDir = world.workspace(world.plan({ gatePath: '/json', json: { pointer: '/version', equals: '2.0.0' } }));
    await world.start(workDir);
    const run = await world.advance(workDir);

    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['exit-code'], '4');
    assert.equal(run.outputs.verdict, 'INCONCLUSIVE');
    assert.equal(run.outputs.status, 'AWAITING_APPROVAL');
    const warning = workflowCommands(run.stdout, 'warning').find(w => w.properties.title === 'Gate smoke inconclusive in ring canary');
    assert.ok(warning, run.stdout);
    assert.match(warning.message, /\/version/);
    assert.equal(workflowCommands(run.stdout, 'notice').length, 1);
    assert.match(run.summary, /<tr><td>smoke<\/td><td>INCONCLUSIVE<\/td>/);
  });

  it('an invalid plan is annotated at the line of each problem', TIMEOUT, async () => {
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
    const run = await world.run(workDir, { command: 'start', plan: 'rollout.yaml', version: '2.0.0' });
    assert.equal(run.code, 1);
    assert.equal(run.outputs['exit-code'], '2');
    const annotated = workflowCommands(run.stdout, 'error').find(e => e.properties.file === 'rollout.yaml');
    assert.ok(annotated, run.stdout);
    assert.equal(annotated.properties.line, '5');
    assert.match(annotated.properties.title, /rings\[0\]\.exposure/);
    assert.match(run.summary, /<h3>Problems<\/h3>/);
  });

  it('a password in a JDBC store URL is masked and never printed, even when the JAR echoes it', TIMEOUT, async () => {
    const workDir = tempDir();
    const run = await world.run(workDir, {
      command: 'status', rollout: KEY, store: 'jdbc:postgresql://ci:pw-user-77@127.0.0.1:1/rollouts?password=pw-query-88',
    });
    assert.equal(run.code, 1);
    assert.ok(run.stdout.split('\n').includes('::add-mask::pw-query-88'));
    assert.ok(run.stdout.split('\n').includes('::add-mask::pw-user-77'));
    const printed = [...run.stdout.split('\n').filter(line => !line.startsWith('::add-mask::')), run.stderr, ...Object.values(run.files)].join('\n');
    assert.doesNotMatch(printed, /pw-query-88|pw-user-77/);
    // the JAR itself no longer echoes credentials; the step still fails with an error annotation
    assert.ok(workflowCommands(run.stdout, 'error').length > 0, run.stdout);
  });

  it('a secret reaches the gate but is never printed or stored', TIMEOUT, async () => {
    const token = 'tok-9f2c1e77-secret';
    const workDir = world.workspace(world.plan({ tokenEnv: 'ROLLOUT_METRICS_TOKEN' }));
    await world.start(workDir, { 'metrics-token': token });
    const run = await world.advance(workDir, { 'metrics-token': token });

    assert.equal(run.code, 0, run.stdout);
    assert.ok(world.endpoint.seen.some(r => r.authorization === `Bearer ${token}`), 'the gate sent the token');
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

// Issue 16.4: the PostgreSQL path through the action's documented inputs — store, store-user, store-password —
// against a real PostgreSQL that demands the password (test-support/EmbeddedPostgresServer.java).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { ACTION_DIR, tempDir } from '../test-support/harness.js';
import { KEY, TIMEOUT, rolloutWorld } from '../test-support/rollouts.js';

const world = rolloutWorld();

// The runner learns a secret from the `::add-mask::` command itself; anything else printed must not hold it.
const printed = text => text.split(/\r?\n/).filter(line => !line.startsWith('::add-mask::')).join('\n');
const classpath = process.env.ROLLOUT_PG_CLASSPATH;

describe('the action with a PostgreSQL store', {
  concurrency: 1,
  skip: classpath ? false : 'ROLLOUT_PG_CLASSPATH is not set: run through Maven (mvn -pl github-action -am package), which provides the embedded PostgreSQL',
}, () => {
  let server;
  let pg;
  before(async () => {
    const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
    server = spawn(java, ['-cp', classpath, path.join(ACTION_DIR, 'test-support', 'EmbeddedPostgresServer.java')],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    const first = await new Promise((resolve, reject) => {
      readline.createInterface({ input: server.stdout }).once('line', resolve);
      server.once('exit', code => reject(new Error(`the embedded PostgreSQL exited with ${code}`)));
    });
    pg = JSON.parse(first);
  });
  after(async () => {
    if (!server) return;
    const exited = new Promise(resolve => server.once('exit', resolve));
    server.stdin.end();
    await exited;
  });

  const inputs = extra => ({ store: pg.url, 'store-user': pg.user, 'store-password': pg.password, ...extra });
  // the PostgreSQL store keeps state outside the workspace: no state-dir
  const run = (workDir, extra) => world.run(workDir, { 'state-dir': '', ...inputs(extra) });

  it('starts and completes a rollout whose state lives in PostgreSQL, the password never printed', TIMEOUT, async () => {
    const workDir = world.workspace(world.plan());
    const started = await run(workDir, { command: 'start', plan: 'rollout.json', version: '2.0.0', 'stable-version': '1.9.0' });
    assert.equal(started.code, 0, started.stdout + started.stderr);
    const id = started.outputs['rollout-id'];
    for (let ring = 0; ring < 2; ring++) {
      const advanced = await run(tempDir(), { command: 'advance', rollout: KEY, 'rollout-id': id });
      assert.equal(advanced.code, 0, advanced.stdout);
    }
    // a fresh runner (another working directory) reads the same rollout from the database
    const status = await run(tempDir(), { command: 'status', rollout: KEY });
    assert.equal(status.outputs.status, 'COMPLETED');
    assert.equal(status.outputs['rollout-id'], id);
    for (const text of [started.stdout, started.stderr, status.stdout, status.summary]) {
      assert.ok(!printed(text).includes(pg.password), 'the password is never printed');
    }
  });

  it('refuses to log in with a wrong password', TIMEOUT, async () => {
    const result = await run(tempDir(), { command: 'status', rollout: KEY, 'store-password': 'not-the-password' });
    assert.equal(result.code, 1);
    assert.equal(result.outputs['exit-code'], '1');
    assert.match(result.stdout, /password authentication failed|authentication/i);
  });

  it('refuses a password written into the store URL as invalid input (exit 2), and masks it', TIMEOUT, async () => {
    const url = `${pg.url}?password=${pg.password}`;
    const result = await world.run(tempDir(), { 'state-dir': '', command: 'status', rollout: KEY, store: url, 'store-user': pg.user });
    assert.equal(result.code, 1);
    assert.equal(result.outputs['exit-code'], '2');
    assert.equal(result.outputs.result, 'invalid');
    assert.ok(result.stdout.includes(`::add-mask::${pg.password}`), 'masked');
    assert.ok(!printed(result.stdout).includes(pg.password) && !result.summary.includes(pg.password), 'never printed');
  });
});

// Issue 13.10: the action's release as .github/workflows/release.yml makes it — a commit holding the JAR in
// dist/, tagged vX.Y.Z and the major tag — and the action run from that tag alone, as `uses: …@v0` does.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ACTION_DIR, rolloutJar, runAction, tempDir } from '../test-support/harness.js';

const ROOT = path.resolve(ACTION_DIR, '..');
const SCRIPT = path.join(ROOT, '.github', 'release', 'bundle-action.sh');
const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** A repository holding what a release commit is made from: the action with its committed bundle. */
function repository() {
  const repo = tempDir('rollout-release-');
  for (const file of ['action.yml', 'dist/index.js']) {
    fs.mkdirSync(path.join(repo, 'github-action', path.dirname(file)), { recursive: true });
    fs.copyFileSync(path.join(ACTION_DIR, file), path.join(repo, 'github-action', file));
  }
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'main');
  return repo;
}

describe('releasing the action', { concurrency: 1 }, () => {
  it('tags a commit holding the JAR with the version and the major tag', { timeout: 60_000 }, () => {
    const repo = repository();
    const jar = rolloutJar();

    const out = execFileSync('sh', [SCRIPT, '0.1.0', jar], { cwd: repo, encoding: 'utf8' });

    assert.match(out, /tagged v0\.1\.0 and v0/);
    const head = git(repo, 'rev-parse', 'HEAD');
    assert.equal(git(repo, 'rev-parse', 'v0.1.0^{commit}'), head);
    assert.equal(git(repo, 'rev-parse', 'v0^{commit}'), head);
    assert.equal(git(repo, 'ls-tree', '--name-only', 'v0', 'github-action/dist/').split('\n').sort().join(' '),
      'github-action/dist/index.js github-action/dist/rollout.jar');
    assert.equal(git(repo, 'ls-tree', '--name-only', 'main', 'github-action/dist/'), 'github-action/dist/index.js',
      'the JAR is committed on the release commit only');
  });

  it('refuses a version that is not MAJOR.MINOR.PATCH', () => {
    const result = spawnSync('sh', [SCRIPT, 'latest', rolloutJar()], { cwd: repository(), encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /not MAJOR\.MINOR\.PATCH/);
  });

  it('runs from the tag alone, with the JAR it ships', { timeout: 120_000 }, async () => {
    const repo = repository();
    execFileSync('sh', [SCRIPT, '0.1.0', rolloutJar()], { cwd: repo });
    // what a runner downloads for `uses: acme/staged-rollout/github-action@v0`: the tag's files, nothing else
    const checkout = tempDir('rollout-uses-');
    execFileSync('sh', ['-c', `git -C '${repo}' archive v0 | tar -x -C '${checkout}'`]);
    const workDir = tempDir();
    fs.writeFileSync(path.join(workDir, 'rollout.json'), JSON.stringify({
      service: 'checkout', environment: 'production', rings: [{ name: 'everyone', exposure: '100%' }],
    }));

    const run = await runAction({ command: 'start', plan: 'rollout.json', version: '2.0.0', 'state-dir': path.join(workDir, 'state') },
      { workDir, entry: path.join(checkout, 'github-action', 'dist', 'index.js') });

    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.outputs.status, 'PENDING');
    assert.match(run.stdout, new RegExp(`${checkout.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/github-action/dist/rollout\\.jar`));
  });

  it('is what .github/workflows/release.yml runs, with the assets the build makes', () => {
    const workflow = parse(fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8'));
    assert.ok(workflow.on.workflow_dispatch.inputs.version.required);
    assert.equal(workflow.permissions.contents, 'write');
    const runs = workflow.jobs.release.steps.filter(step => step.run).map(step => step.run).join('\n');
    assert.match(runs, /\.github\/release\/bundle-action\.sh "\$VERSION" rollout-cli\/target\/rollout\.jar --push/);
    assert.match(runs, /-pl rollout-cli,release -am/);
    for (const asset of ['rollout-$VERSION.tar.gz', 'rollout-$VERSION.tar.gz.sha256', 'rollout-$VERSION.zip']) {
      assert.ok(runs.includes(`release/target/${asset}`), asset);
    }
    const setup = workflow.jobs.release.steps.find(step => String(step.uses).startsWith('actions/setup-java'));
    assert.equal(setup.with['java-version'], '17');
  });
});

// End to end, as a Jenkins user would do it: jenkins.war on 127.0.0.1 with the Pipeline plugins and the freshly built
// staged-rollout.hpi, security on (two users), a Pipeline job created through the REST API with a crumb whose
// Jenkinsfile is examples/jenkins-local/Jenkinsfile, run against a local service (service.mjs, its own process) whose
// error rate follows the deployed version.
//
//   JENKINS_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java node --test --test-concurrency=1 e2e.test.mjs
//
// Needs: jenkins-plugin/target/staged-rollout.hpi (the -Pjenkins build), ../shared/jenkins/m2 beside the repository,
// a JDK 21+ (JENKINS_JAVA, else found under /usr/lib/jvm), chromium (screenshots), curl (the Jenkinsfile's deploy).
// Writes jenkins-plugin/target/e2e/: jenkins.log, the JENKINS_HOME, screenshots, timings.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PLUGIN = path.resolve(HERE, '..');
const ROOT = path.resolve(PLUGIN, '..');
const M2 = path.resolve(ROOT, '..', 'shared', 'jenkins', 'm2');
const WORK = path.join(PLUGIN, 'target', 'e2e');
const HOME = path.join(WORK, 'home');
const HPI = path.join(PLUGIN, 'target', 'staged-rollout.hpi');
const KEY = 'demo/local';
const JOB = 'deploy';
const USERS = { admin: secret(), releaser: secret() };
const MINUTE = 60_000;
const timings = {};

let jenkins; // { proc, port, url }
let service; // { proc, url }

function secret() {
  return randomBytes(12).toString('hex');
}

// ---- processes ---------------------------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function javaVersion(java) {
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' }); // it prints to stderr
  return `${r.stdout || ''}${r.stderr || ''}`;
}

/** A JDK 21+: JENKINS_JAVA, else the newest under /usr/lib/jvm (Jenkins 2.555 needs 21). */
function findJava() {
  const candidates = [];
  if (process.env.JENKINS_JAVA) candidates.push(process.env.JENKINS_JAVA);
  if (process.env.JAVA_HOME) candidates.push(path.join(process.env.JAVA_HOME, 'bin', 'java'));
  if (fs.existsSync('/usr/lib/jvm')) {
    for (const d of fs.readdirSync('/usr/lib/jvm').sort().reverse()) candidates.push(path.join('/usr/lib/jvm', d, 'bin', 'java'));
  }
  for (const java of candidates) {
    if (!fs.existsSync(java)) continue;
    const m = /version "(\d+)/.exec(javaVersion(java));
    if (m && Number(m[1]) >= 21) return java;
  }
  throw new Error('no JDK 21+ found (set JENKINS_JAVA)');
}

async function until(what, timeoutMs, probe, everyMs = 500) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

function exited(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
}

async function startService() {
  const port = await freePort();
  const proc = spawn(process.execPath, [path.join(HERE, 'service.mjs'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await until('the service', 30_000, async () => (await fetch(`${url}/state`)).ok);
  return { proc, url };
}

function prepareHome() {
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(path.join(HOME, 'plugins'), { recursive: true });
  fs.mkdirSync(path.join(HOME, 'init.groovy.d'), { recursive: true });
  fs.copyFileSync(path.join(M2, 'org/jenkins-ci/main/jenkins-war/2.555.3/jenkins-war-2.555.3.war'), path.join(WORK, 'jenkins.war'));
  // every plugin of the shared repository: the closure the Pipeline plugins need (an .hpi is installed as NAME.jpi)
  const hpis = execFileSync('find', [M2, '-name', '*.hpi'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of hpis) {
    const artifact = path.basename(path.dirname(path.dirname(f)));
    fs.copyFileSync(f, path.join(HOME, 'plugins', `${artifact}.jpi`));
  }
  assert.ok(fs.existsSync(HPI), `${HPI} is missing: build it with ./mvnw -Pjenkins -pl io.jenkins.plugins:staged-rollout -am package`);
  fs.copyFileSync(HPI, path.join(HOME, 'plugins', 'staged-rollout.jpi'));
  // security on: two users with passwords; a logged-in user may do anything, anonymous nothing
  fs.writeFileSync(path.join(HOME, 'init.groovy.d', 'security.groovy'), `
import hudson.security.FullControlOnceLoggedInAuthorizationStrategy
import hudson.security.HudsonPrivateSecurityRealm
import jenkins.model.Jenkins
def j = Jenkins.get()
if (!(j.securityRealm instanceof HudsonPrivateSecurityRealm)) {
  def realm = new HudsonPrivateSecurityRealm(false, false, null)
  realm.createAccount('admin', '${USERS.admin}')
  realm.createAccount('releaser', '${USERS.releaser}')
  j.securityRealm = realm
  def strategy = new FullControlOnceLoggedInAuthorizationStrategy()
  strategy.allowAnonymousRead = false
  j.authorizationStrategy = strategy
  j.numExecutors = 2
  j.save()
}
`);
}

async function startJenkins(port) {
  const java = findJava();
  const log = fs.openSync(path.join(WORK, 'jenkins.log'), 'a');
  const proc = spawn(java, ['-Djenkins.install.runSetupWizard=false', '-Djava.awt.headless=true', `-DJENKINS_HOME=${HOME}`,
    '-Xmx768m', '-jar', path.join(WORK, 'jenkins.war'), `--httpPort=${port}`, '--httpListenAddress=127.0.0.1'],
  { stdio: ['ignore', log, log], env: { ...process.env, JENKINS_HOME: HOME } });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  await until('Jenkins to answer with the users set up', 5 * MINUTE, async () => {
    if (proc.exitCode !== null) throw new Error(`Jenkins exited with ${proc.exitCode}; see ${WORK}/jenkins.log`);
    return (await fetch(`${url}/api/json`, { headers: { Authorization: basic('admin') } })).status === 200;
  }, 1000);
  return { proc, port, url, startMs: Date.now() - started };
}

async function stopJenkins() {
  if (!jenkins) return;
  jenkins.proc.kill('SIGTERM'); // what a service manager does; running Pipelines are paused and saved
  await Promise.race([exited(jenkins.proc), new Promise((r) => setTimeout(r, 2 * MINUTE))]);
  if (jenkins.proc.exitCode === null && jenkins.proc.signalCode === null) jenkins.proc.kill('SIGKILL');
}

// ---- HTTP as a user: basic auth, a session cookie and its crumb for POSTs ----------------------------------------

function basic(user) {
  return `Basic ${Buffer.from(`${user}:${USERS[user]}`).toString('base64')}`;
}

class Session {
  constructor(user) {
    this.user = user;
    this.cookies = new Map();
    this.crumb = null;
  }

  headers(extra = {}) {
    const h = { Authorization: basic(this.user), ...extra };
    if (this.cookies.size) h.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return h;
  }

  remember(res) {
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }

  async get(p) {
    const res = await fetch(`${jenkins.url}/${p}`, { headers: this.headers(), redirect: 'manual' });
    this.remember(res);
    return res;
  }

  async text(p) {
    const res = await this.get(p);
    assert.equal(res.status, 200, `GET ${p} as ${this.user}`);
    return res.text();
  }

  async json(p) {
    return JSON.parse(await this.text(p));
  }

  async post(p, body, contentType = 'application/x-www-form-urlencoded') {
    if (!this.crumb) {
      const c = await this.json('crumbIssuer/api/json');
      this.crumb = [c.crumbRequestField, c.crumb];
    }
    const res = await fetch(`${jenkins.url}/${p}`, {
      method: 'POST', redirect: 'manual', body,
      headers: this.headers({ [this.crumb[0]]: this.crumb[1], 'Content-Type': contentType }),
    });
    this.remember(res);
    return res;
  }
}

const admin = () => new Session('admin');

// ---- the job and its builds ----------------------------------------------------------------------------------------

function xmlEscape(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function createJob(session) {
  const script = fs.readFileSync(path.join(ROOT, 'examples', 'jenkins-local', 'Jenkinsfile'), 'utf8');
  const xml = fs.readFileSync(path.join(ROOT, 'examples', 'jenkins-local', 'job.xml.in'), 'utf8')
    .replace('@SERVICE_URL@', xmlEscape(service.url)).replace('@SCRIPT@', xmlEscape(script));
  const res = await session.post(`createItem?name=${JOB}`, xml, 'application/xml');
  assert.equal(res.status, 200, `createItem: ${res.status} ${await res.text()}`);
}

async function build(session, version) {
  const before = (await session.json(`job/${JOB}/api/json?tree=nextBuildNumber`)).nextBuildNumber;
  const res = await session.post(`job/${JOB}/buildWithParameters`, new URLSearchParams({ VERSION: version }).toString());
  assert.equal(res.status, 201, `buildWithParameters: ${res.status}`);
  await until(`build #${before} to start`, 2 * MINUTE, async () => (await session.get(`job/${JOB}/${before}/api/json`)).status === 200);
  return before;
}

async function log(session, n) {
  return session.text(`job/${JOB}/${n}/consoleText`);
}

async function waitLog(session, n, text, timeoutMs = 3 * MINUTE) {
  return until(`"${text}" in build #${n}`, timeoutMs, async () => (await log(session, n)).includes(text), 1000);
}

async function result(session, n, timeoutMs = 5 * MINUTE) {
  return until(`build #${n} to finish`, timeoutMs, async () => {
    const b = await session.json(`job/${JOB}/${n}/api/json?tree=building,result`);
    return b.building ? null : b.result;
  }, 1000);
}

async function serviceState() {
  return (await fetch(`${service.url}/state`)).json();
}

/** The rollout's journal as the plugin's file store keeps it under JENKINS_HOME. */
function journal() {
  const f = path.join(HOME, 'staged-rollout', 'demo', 'local', 'journal.jsonl');
  // one line per commit ({"rev", "state", "events": [...], "sum"}); an older release's lines are single events
  return fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .flatMap((line) => (Array.isArray(line.events) ? line.events : [line]));
}

/** Regular executors busy on all nodes (a Pipeline's own flyweight task is not one of them). */
async function busyExecutors(session) {
  return (await session.json('computer/api/json?tree=busyExecutors')).busyExecutors;
}

async function screenshot(name, p) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { Authorization: basic('admin') } });
    const page = await context.newPage();
    const res = await page.goto(`${jenkins.url}/${p}`, { waitUntil: 'load' });
    assert.equal(res.status(), 200, `${p} in Chromium`);
    const file = path.join(WORK, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return { file, text: await page.innerText('body') };
  } finally {
    await browser.close();
  }
}

function timed(name, fn) {
  return async () => {
    const t = Date.now();
    try {
      await fn();
    } finally {
      timings[name] = Math.round((Date.now() - t) / 1000);
    }
  };
}

// ---- the scenarios -------------------------------------------------------------------------------------------------

before(async () => {
  prepareHome();
  service = await startService();
  jenkins = await startJenkins(await freePort());
  timings.jenkinsStartSeconds = Math.round(jenkins.startMs / 1000);
});

after(async () => {
  await stopJenkins();
  if (service) {
    service.proc.kill('SIGTERM');
    await exited(service.proc);
  }
  fs.writeFileSync(path.join(WORK, 'timings.json'), JSON.stringify(timings, null, 2));
  console.log(`timings (s): ${JSON.stringify(timings)}`);
});

test('the permission group is registered at start-up, before anything used it', timed('permissionsAtStartup', async () => {
  const s = admin();
  // the first request after start-up: nothing has loaded the plugin's permission class except its @Initializer
  const res = await s.post('scriptText', new URLSearchParams({
    script: 'println(hudson.security.PermissionGroup.getAll().collect { it.title.toString() })',
  }).toString());
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Staged Rollout/);
}));

test('a good version goes through three rings; a second user promotes the manual ring over HTTP', timed('goodVersionSeconds', async () => {
  const s = admin();
  await createJob(s);
  const n = await build(s, 'v1');

  await waitLog(s, n, 'RING_DEPLOYED [canary]');
  // P6: while the canary bakes the build holds no executor (the deploy's node { } has ended)
  const samples = [];
  for (let i = 0; i < 5; i++) {
    samples.push(await busyExecutors(s));
    await new Promise((r) => setTimeout(r, 1000));
  }
  timings.busyExecutorsWhileBaking = Math.max(...samples);
  assert.ok(!(await log(s, n)).includes('RING_PASSED [canary]'), 'the samples were taken while the canary baked');
  assert.deepEqual(samples, [0, 0, 0, 0, 0], `busy executors while baking: ${samples}`);

  await waitLog(s, n, 'waits for a person to promote it');
  const buildPage = await screenshot('build-page', `job/${JOB}/${n}/staged-rollout/`);
  assert.match(buildPage.text, /demo\/local/);
  assert.match(buildPage.text, /AWAITING_APPROVAL/);
  assert.match(buildPage.text, /Promote early-adopters/);
  const rolloutsPage = await screenshot('rollouts-page', 'staged-rollouts/');
  assert.match(rolloutsPage.text, /demo\/local/);

  const releaser = new Session('releaser');
  const res = await releaser.post(`job/${JOB}/${n}/staged-rollout/promote`,
    new URLSearchParams({ rollout: KEY, ring: 'early-adopters' }).toString());
  assert.equal(res.status, 302, `promote by releaser: ${res.status} ${await res.text()}`);

  assert.equal(await result(s, n), 'SUCCESS');
  const console = await log(s, n);
  assert.match(console, /rollout of v1 completed/);
  assert.match(console, /last good version v1/);
  const promoted = journal().filter((e) => e.type === 'PROMOTED' && e.ring === 'early-adopters');
  assert.equal(promoted.at(-1)?.actor?.name, 'releaser', JSON.stringify(promoted.at(-1)));
  assert.equal((await serviceState()).version, 'v1');
}));

test('Jenkins restarted while a ring bakes: the build resumes and finishes', timed('restartDuringBakeSeconds', async () => {
  let s = admin();
  const n = await build(s, 'v2');
  await waitLog(s, n, 'RING_DEPLOYED [canary]');
  assert.ok(!(await log(s, n)).includes('RING_PASSED [canary]'), 'the restart comes while the canary bakes');

  const t = Date.now();
  await stopJenkins();
  jenkins = await startJenkins(jenkins.port);
  timings.restartSeconds = Math.round((Date.now() - t) / 1000);
  s = admin();

  await waitLog(s, n, 'resuming ring canary of demo/local after a restart');
  await waitLog(s, n, 'waits for a person to promote it');
  const res = await new Session('releaser').post(`job/${JOB}/${n}/staged-rollout/promote`,
    new URLSearchParams({ rollout: KEY, ring: 'early-adopters' }).toString());
  assert.equal(res.status, 302);
  assert.equal(await result(s, n), 'SUCCESS');
  assert.match(await log(s, n), /rollout of v2 completed/);
}));

test('a build that fails before its rollout started does not revert the completed release', timed('earlyFailureSeconds', async () => {
  const s = admin();
  const before = journal().length;
  const n = await build(s, ''); // no version: canaryStage refuses before anything starts

  assert.equal(await result(s, n), 'FAILURE');
  assert.match(await log(s, n), /version/);
  assert.doesNotMatch(await log(s, n), /rollback|reverting/i);
  assert.equal(journal().length, before, 'nothing journaled');
  assert.equal(journal().at(-1).to, 'COMPLETED');
  assert.equal((await serviceState()).version, 'v2', 'the completed release stays deployed');
}));

test('a bad version fails its canary and is rolled back with the reason in the console', timed('badVersionSeconds', async () => {
  const s = admin();
  const n = await build(s, 'v3-bad');

  assert.equal(await result(s, n), 'FAILURE');
  const console = await log(s, n);
  assert.match(console, /ring canary FAIL/);
  assert.match(console, /answered 500/);
  assert.doesNotMatch(console, /deploying ring early-adopters/);
  assert.match(console, /ROLLED_BACK|rolled back/i);
  assert.equal((await serviceState()).version, 'v2', 'the revert deployed the last good version');
  const status = journal().at(-1);
  assert.equal(status.to, 'ROLLED_BACK', JSON.stringify(status));
}));

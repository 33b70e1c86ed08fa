// Runs the bundled action the way a runner does: INPUT_* variables, real GITHUB_OUTPUT /
// GITHUB_STEP_SUMMARY / GITHUB_STATE / GITHUB_ENV files, `node dist/index.js` as a process.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ACTION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ENTRY = path.join(ACTION_DIR, 'dist', 'index.js');

/** The real rollout.jar: ROLLOUT_JAR (set by the Maven build) or the reactor's build output. */
export function rolloutJar() {
  const jar = process.env.ROLLOUT_JAR || path.join(ACTION_DIR, '..', 'rollout-cli', 'target', 'rollout.jar');
  if (!fs.existsSync(jar)) {
    throw new Error(`rollout.jar not found at ${jar}: build it first (mvn -pl rollout-cli -am -DskipTests package) or set ROLLOUT_JAR.`);
  }
  return path.resolve(jar);
}

export function tempDir(prefix = 'rollout-action-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Runs the action with the given inputs (names as in action.yml) in workDir.
 * Resolves with the exit code, stdout, stderr and the parsed file-command records.
 */
export function runAction(inputs, { workDir = tempDir(), env = {}, entry = ENTRY } = {}) {
  const files = {};
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_STATE', 'GITHUB_ENV']) {
    files[name] = path.join(workDir, `${name.toLowerCase()}.txt`);
    fs.writeFileSync(files[name], '');
  }
  const childEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? workDir,
    ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
    ...(process.env.SYSTEMROOT ? { SYSTEMROOT: process.env.SYSTEMROOT } : {}),
    RUNNER_TEMP: workDir,
    // Short-lived JVMs on a shared machine: less JIT and GC work, same behaviour.
    JAVA_TOOL_OPTIONS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC',
    ...files,
    ...env,
  };
  for (const [name, value] of Object.entries(inputs)) {
    childEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  // Asynchronous on purpose: the gate endpoints live in this test process and must keep answering.
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], { cwd: workDir, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => { stdout += chunk; });
    child.stderr.on('data', chunk => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', code => {
      const read = name => fs.readFileSync(files[name], 'utf8');
      resolve({
        code,
        stdout,
        stderr,
        workDir,
        outputs: parseFileCommands(read('GITHUB_OUTPUT')),
        state: parseFileCommands(read('GITHUB_STATE')),
        exported: parseFileCommands(read('GITHUB_ENV')),
        summary: read('GITHUB_STEP_SUMMARY'),
        files: Object.fromEntries(Object.keys(files).map(name => [name, read(name)])),
      });
    });
  });
}

/** Parses `name<<DELIMITER\nvalue\nDELIMITER` records, the format of GITHUB_OUTPUT and friends. */
export function parseFileCommands(text) {
  const records = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!match) {
      if (lines[i] !== '') throw new Error(`not a file-command record: ${lines[i]}`);
      continue;
    }
    const [, name, delimiter] = match;
    const value = [];
    i++;
    while (i < lines.length && lines[i] !== delimiter) value.push(lines[i++]);
    if (i >= lines.length) throw new Error(`record ${name} has no closing delimiter`);
    records[name] = value.join('\n');
  }
  return records;
}

/** Workflow commands (`::error title=...::message`) printed on stdout. */
export function workflowCommands(stdout, command) {
  return stdout.split(/\r?\n/)
    .filter(line => line.startsWith(`::${command}`))
    .map(line => {
      const match = /^::[a-z-]+( [^:]*)?::(.*)$/.exec(line);
      const properties = Object.fromEntries((match?.[1] ?? '').trim().split(',').filter(p => p)
        .map(p => [p.slice(0, p.indexOf('=')), unescapeProperty(p.slice(p.indexOf('=') + 1))]));
      return { properties, message: unescapeData(match?.[2] ?? '') };
    });
}

const unescapeData = s => s.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
const unescapeProperty = s => unescapeData(s).replaceAll('%3A', ':').replaceAll('%2C', ',');

/**
 * A local service for the gates: /healthy answers 200, /broken 500, /json 200 with {"status":"UP"}.
 * Requests are recorded (with their bearer token) so a test can prove the secret reached the JAR.
 */
export async function startGateEndpoint() {
  const seen = [];
  const server = http.createServer((request, response) => {
    seen.push({ path: request.url, authorization: request.headers.authorization ?? null });
    if (request.url.startsWith('/json')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"UP"}');
      return;
    }
    const ok = request.url.startsWith('/healthy');
    response.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain' });
    response.end(ok ? 'ok\n' : 'boom\n');
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: pathname => `http://127.0.0.1:${port}${pathname}`,
    seen,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

// The pure parts of the wrapper: argument lists, secrets, the JSON contract, the summary rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rolloutArguments } from '../src/command-line.js';
import { ContractError, failedGates, parseStatus } from '../src/contract.js';
import { readInputs, splitArgs } from '../src/inputs.js';
import { escapeHtml, formatPercent, gateRows, outputsOf, ringRows } from '../src/report.js';
import { passwordsInLocation, redact, redactDeep, secretValues, secretVariables } from '../src/secrets.js';

const inputs = values => readInputs(name => values[name] ?? '');

describe('argument list', () => {
  it('start passes plan and version as separate arguments, never a shell string', () => {
    const args = rolloutArguments(inputs({ command: 'start', plan: 'plans/my plan.yaml', version: '1.2.3; rm -rf /', 'stable-version': '1.2.2' }));
    assert.deepEqual(args, ['start', 'plans/my plan.yaml', '--version', '1.2.3; rm -rf /', '--stable-version', '1.2.2', '--output', 'json']);
  });

  it('promote names the ring it promotes from', () => {
    assert.deepEqual(rolloutArguments(inputs({ command: 'promote', rollout: 'checkout/production', ring: 'canary' })),
      ['promote', '--rollout', 'checkout/production', '--ring', 'canary', '--output', 'json']);
  });

  it('rollback carries the reason and the store settings', () => {
    assert.deepEqual(rolloutArguments(inputs({ command: 'rollback', rollout: 'a/b', reason: 'p99 up', 'state-dir': '.state', store: '/srv/rollouts' })),
      ['rollback', '--rollout', 'a/b', '--reason', 'p99 up', '--state-dir', '.state', '--store', '/srv/rollouts', '--output', 'json']);
  });

  it('status can wait, and extra args come before the JSON switch', () => {
    assert.deepEqual(rolloutArguments(inputs({ command: 'status', rollout: 'a/b', wait: 'true', 'extra-args': '--succeed-on-pause' })),
      ['status', '--rollout', 'a/b', '--wait', '--succeed-on-pause', '--output', 'json']);
  });

  it('extra args split on any whitespace without quoting', () => {
    assert.deepEqual(splitArgs('  --force\n --note   "a b" '), ['--force', '--note', '"a', 'b"']);
  });
});

describe('secrets', () => {
  const secretInputs = inputs({ command: 'status', rollout: 'a/b', 'metrics-token': 'tok-123', 'store-password': 'pw-456', 'secret-env': 'PROM_TOKEN=abc=def\n# comment\n' });

  it('reach the JAR as named environment variables', () => {
    // the names the PostgreSQL store reads (issue 16.4: ROLLOUT_STORE_PASSWORD reached nothing)
    assert.deepEqual(secretVariables(secretInputs), { ROLLOUT_METRICS_TOKEN: 'tok-123', ROLLOUT_DB_PASSWORD: 'pw-456', PROM_TOKEN: 'abc=def' });
  });

  it('include a password written into a JDBC URL', () => {
    assert.deepEqual(passwordsInLocation('jdbc:postgresql://db:5432/rollouts?user=ci&password=p%40ss&ssl=true'), ['p@ss', 'p%40ss']);
    assert.deepEqual(passwordsInLocation('jdbc:postgresql://ci:s3cr3t@db/rollouts'), ['s3cr3t', 's3cr3t']);
    assert.deepEqual(passwordsInLocation('/srv/rollouts'), []);
  });

  it('are masked line by line', () => {
    const values = secretValues(inputs({ command: 'status', rollout: 'a/b', 'secret-env': 'KEY=line1' }));
    assert.deepEqual(values, ['line1']);
    assert.deepEqual(secretValues({ metricsToken: 'a\nb', storePassword: '', secretEnv: [], store: '' }), ['a', 'b']);
  });

  it('are redacted, the longest first', () => {
    assert.equal(redact('token abc and abcdef', ['abc', 'abcdef']), 'token *** and ***');
  });

  it('are redacted from every string of the JSON status', () => {
    const status = { message: 'bad store x?password=pw1', exitCode: 2, problems: [{ path: '', line: 0, message: 'pw1 again' }], rollout: null };
    assert.deepEqual(redactDeep(status, ['pw1']),
      { message: 'bad store x?password=***', exitCode: 2, problems: [{ path: '', line: 0, message: '*** again' }], rollout: null });
  });
});

describe('the JSON contract', () => {
  it('must be one JSON object with a result', () => {
    assert.throws(() => parseStatus(''), ContractError);
    assert.throws(() => parseStatus('Rollout checkout/production is BAKING'), /other than one JSON object/);
    assert.throws(() => parseStatus('{"a":1}\n{"b":2}'), ContractError);
    assert.throws(() => parseStatus('[1]'), /not an object/);
    assert.throws(() => parseStatus('{"exitCode":0}'), /without a 'result'/);
    assert.equal(parseStatus(' {"result":"applied"}\n').result, 'applied');
  });

  it('a dry-run gate never fails the ring', () => {
    const rollout = { verdict: { ring: 'canary', verdict: 'PASS', gates: [
      { gate: 'new-latency', verdict: 'FAIL', dryRun: true }, { gate: 'errors', verdict: 'PASS', dryRun: false }] } };
    assert.deepEqual(failedGates(rollout), []);
  });

  it('outputs are empty strings when there is no rollout', () => {
    assert.deepEqual(outputsOf({ result: 'invalid' }, 2), {
      status: '', ring: '', verdict: '', 'stable-version': '', 'rollout-id': '', 'rollout-key': '', result: 'invalid', 'exit-code': '2' });
  });
});

describe('summary rows', () => {
  it('escape plan values, which are data and not HTML', () => {
    assert.equal(escapeHtml('<img src=x onerror="alert(1)">&'), '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;');
    const rows = ringRows({ rings: [{ name: '<b>x</b>', exposurePercent: 0.5, bake: '10m', approval: 'manual', gates: ['a', 'b'], state: 'current' }] });
    assert.deepEqual(rows, [['&lt;b&gt;x&lt;/b&gt;', '0.5%', '10m', 'manual', 'a, b', '<b>current</b>']]);
  });

  it('show the current tallies before any verdict', () => {
    const rows = gateRows({ gates: [{ gate: 'errors', measurements: 2, passed: 1, failed: 1, inconclusive: 0, errors: 0, last: { outcome: 'FAIL', value: 0.0312345678, summary: '0.031 > 0.01' } }] });
    assert.deepEqual(rows, [['errors', 'measuring', '2', '1', '1', '0', '0', 'FAIL 0.0312346', '0.031 &gt; 0.01']]);
  });

  it('formats exposure below one percent', () => {
    assert.equal(formatPercent(0.25), '0.25%');
    assert.equal(formatPercent(100), '100%');
    assert.equal(formatPercent(undefined), '');
  });
});

// Turns the JAR's JSON status into what GitHub shows: step outputs, the job summary and
// annotations. Values from the status are escaped: the summary is HTML and plan values are data.
import { judgedGates } from './contract.js';

/** The outputs declared in action.yml, always all set so later jobs can rely on them. */
export function outputsOf(status, exitCode) {
  const rollout = status?.rollout ?? {};
  return {
    status: rollout.status ?? '',
    ring: rollout.ring ?? '',
    verdict: rollout.verdict?.verdict ?? '',
    'stable-version': rollout.stableVersion ?? rollout.lastGoodVersion ?? '',
    'rollout-id': rollout.id ?? '',
    'rollout-key': rollout.key ?? '',
    result: status?.result ?? '',
    'exit-code': String(exitCode),
  };
}

export function escapeHtml(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

// @actions/core's summary writes an empty cell as an unclosed tag (`<td>`), so no table cell is ever empty.
const EMPTY_CELL = '—';

/** An escaped table cell; an em dash stands in for no value. */
export function cell(value) {
  const text = escapeHtml(value);
  return text === '' ? EMPTY_CELL : text;
}

export function formatPercent(percent) {
  if (typeof percent !== 'number' || !Number.isFinite(percent)) return '';
  return `${Number(percent.toFixed(4))}%`;
}

function formatValue(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
  return value == null ? '' : String(value);
}

const header = (...titles) => titles.map(data => ({ data, header: true }));

export function ringRows(rollout) {
  const rings = Array.isArray(rollout?.rings) ? rollout.rings : [];
  return rings.map(ring => [
    cell(ring.name),
    cell(formatPercent(ring.exposurePercent)),
    cell(ring.bake ?? ''),
    cell(ring.approval ?? ''),
    cell((ring.gates ?? []).join(', ')),
    ring.state === 'current' ? `<b>${cell(ring.state)}</b>` : cell(ring.state ?? ''),
  ]);
}

export function gateRows(rollout) {
  return judgedGates(rollout).map(gate => {
    const last = gate.last ?? {};
    const lastText = [last.outcome, formatValue(last.value)].filter(part => part).join(' ');
    return [
      cell(gate.gate) + (gate.dryRun ? ' (dry run)' : ''),
      cell(gate.verdict ?? 'measuring'),
      cell(formatValue(gate.measurements)),
      cell(formatValue(gate.passed)),
      cell(formatValue(gate.failed)),
      cell(formatValue(gate.inconclusive)),
      cell(formatValue(gate.errors)),
      cell(lastText),
      cell(gate.reason ?? last.summary ?? ''),
    ];
  });
}

/** Writes the job summary: the rollout, its rings, every gate's measurements and the verdict. */
export function addSummary(summary, status, exitCode, command) {
  const rollout = status.rollout;
  summary.addHeading(`Rollout ${escapeHtml(rollout?.key ?? '')}`.trim(), 2);
  summary.addRaw(`<p><code>${escapeHtml(command)}</code> → <b>${escapeHtml(status.result)}</b> (exit ${exitCode}): ${escapeHtml(status.message ?? '')}</p>`, true);

  if (rollout) {
    summary.addTable([
      header('Status', 'Version', 'Stable version', 'Ring', 'Exposure', 'Rollout id'),
      [
        cell(rollout.status),
        cell(rollout.version),
        cell(rollout.stableVersion ?? rollout.lastGoodVersion ?? ''),
        cell(ringText(rollout)),
        cell(formatPercent(rollout.exposurePercent)),
        cell(rollout.id),
      ],
    ]);

    const rings = ringRows(rollout);
    if (rings.length > 0) {
      summary.addHeading('Rings', 3);
      summary.addTable([header('Ring', 'Exposure', 'Bake', 'Approval', 'Gates', 'State'), ...rings]);
    }

    const verdict = rollout.verdict;
    const gates = gateRows(rollout);
    summary.addHeading(verdict ? `Verdict for ring ${escapeHtml(verdict.ring)}: ${escapeHtml(verdict.verdict)}` : 'Gates', 3);
    if (verdict?.reason) summary.addRaw(`<p>${escapeHtml(verdict.reason)}</p>`, true);
    if (gates.length > 0) {
      summary.addTable([
        header('Gate', 'Verdict', 'Measurements', 'Passed', 'Failed', 'Inconclusive', 'Errors', 'Last', 'Explanation'),
        ...gates,
      ]);
    } else {
      summary.addRaw('<p>No gate measured yet.</p>', true);
    }
  }

  if (exitCode === 6) {
    summary.addRaw('<p><b>The revert failed: production state is unknown.</b> A person must look at the deployment, '
      + 'put it right, and record what was done (the rollout stays FAILED until then).</p>', true);
  }
  const commands = Object.entries(rollout?.commands ?? {}).filter(([, text]) => typeof text === 'string' && text);
  if (commands.length > 0) {
    // id-bound: pasted later, a command for a rollout that has ended is refused instead of acting on a newer one
    summary.addHeading('Commands for this rollout', 3);
    summary.addTable([header('Action', 'Command'), ...commands.map(([name, text]) => [cell(name), `<code>${cell(text)}</code>`])]);
  }

  const problems = Array.isArray(status.problems) ? status.problems : [];
  if (problems.length > 0) {
    summary.addHeading('Problems', 3);
    summary.addTable([
      header('Where', 'Line', 'Problem'),
      ...problems.map(p => [cell(p.path ?? ''), cell(formatValue(p.line)), cell(p.message ?? '')]),
    ]);
  }
  return summary;
}

/** "canary (1 of 3)", or "none deployed yet (3 rings)" before the first ring. */
export function ringText(rollout) {
  const count = typeof rollout.ringCount === 'number' ? rollout.ringCount : null;
  if (rollout.ring && typeof rollout.ringIndex === 'number' && rollout.ringIndex >= 0 && count !== null) {
    return `${rollout.ring} (${rollout.ringIndex + 1} of ${count})`;
  }
  if (rollout.ring) return rollout.ring;
  return count === null ? '' : `none deployed yet (${count} ring${count === 1 ? '' : 's'})`;
}

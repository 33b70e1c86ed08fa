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
    escapeHtml(ring.name),
    escapeHtml(formatPercent(ring.exposurePercent)),
    escapeHtml(ring.bake ?? ''),
    escapeHtml(ring.approval ?? ''),
    escapeHtml((ring.gates ?? []).join(', ')),
    ring.state === 'current' ? `<b>${escapeHtml(ring.state)}</b>` : escapeHtml(ring.state ?? ''),
  ]);
}

export function gateRows(rollout) {
  return judgedGates(rollout).map(gate => {
    const last = gate.last ?? {};
    const lastText = [last.outcome, formatValue(last.value)].filter(part => part).join(' ');
    return [
      escapeHtml(gate.gate) + (gate.dryRun ? ' (dry run)' : ''),
      escapeHtml(gate.verdict ?? 'measuring'),
      escapeHtml(formatValue(gate.measurements)),
      escapeHtml(formatValue(gate.passed)),
      escapeHtml(formatValue(gate.failed)),
      escapeHtml(formatValue(gate.inconclusive)),
      escapeHtml(formatValue(gate.errors)),
      escapeHtml(lastText),
      escapeHtml(gate.reason ?? last.summary ?? ''),
    ];
  });
}

/** Writes the job summary: the rollout, its rings, every gate's measurements and the verdict. */
export function addSummary(summary, status, exitCode, command) {
  const rollout = status.rollout;
  summary.addHeading(`Rollout ${escapeHtml(rollout?.key ?? '')}`.trim(), 2);
  summary.addRaw(`<p><code>${escapeHtml(command)}</code> → <b>${escapeHtml(status.result)}</b> (exit ${exitCode}): ${escapeHtml(status.message ?? '')}</p>`, true);

  if (rollout) {
    const ringPosition = typeof rollout.ringIndex === 'number' && typeof rollout.ringCount === 'number'
      ? ` (${rollout.ringIndex + 1} of ${rollout.ringCount})` : '';
    summary.addTable([
      header('Status', 'Version', 'Stable version', 'Ring', 'Exposure', 'Rollout id'),
      [
        escapeHtml(rollout.status),
        escapeHtml(rollout.version),
        escapeHtml(rollout.stableVersion ?? rollout.lastGoodVersion ?? ''),
        escapeHtml((rollout.ring ?? '') + ringPosition),
        escapeHtml(formatPercent(rollout.exposurePercent)),
        escapeHtml(rollout.id),
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

  const problems = Array.isArray(status.problems) ? status.problems : [];
  if (problems.length > 0) {
    summary.addHeading('Problems', 3);
    summary.addTable([
      header('Where', 'Line', 'Problem'),
      ...problems.map(p => [escapeHtml(p.path ?? ''), escapeHtml(formatValue(p.line)), escapeHtml(p.message ?? '')]),
    ]);
  }
  return summary;
}

import { escapeHtml } from './escape-html.js';
import type { LatencyRow, ServiceRunFacts } from './run-report.js';

const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);
const measured = (v: number | null) => (v === null ? 'no sample' : Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 1 ? 3 : 1));

function rows(s: ServiceRunFacts): [string, LatencyRow][] {
  return [['path (login → last delivery)', s.path], ...Object.entries(s.steps).map(([k, v]): [string, LatencyRow] => [`step ${k}`, v])];
}

/** The service golden path's figures as Markdown lines: users/s, latency percentiles per step and for the path, thresholds. */
export function serviceMarkdown(s: ServiceRunFacts): string[] {
  const lines = [
    '#### Service golden path',
    '',
    `Service \`${s.url}\`${s.fixtureMode === undefined ? '' : ` (fixture, ${s.fixtureMode})`}: ${s.completed} users through the path, **${Math.round(s.usersPerSecond)} users/s**, path p95 **${ms(s.path.p95)}**, ${s.events} events received.`,
    '',
    '| latency | samples | p50 | p95 | p99 | max |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const [name, r] of rows(s)) lines.push(`| ${name} | ${r.count} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} |`);
  if (s.thresholds.length > 0) {
    lines.push('', '| threshold | measured | |', '|---|---:|---|');
    for (const t of s.thresholds) lines.push(`| \`${t.metric}: ${t.expression}\` | ${measured(t.measured)} | ${t.ok ? '✅' : '❌'} |`);
  }
  for (const k of s.skipped) lines.push('', `_Not checked: ${k}_`);
  return lines;
}

/** The same as HTML: a facts line, a latency table (`#latency`) and a thresholds table (`#service-thresholds`). */
export function serviceHtml(s: ServiceRunFacts): string[] {
  const out = [
    '<h2>Service golden path</h2>',
    `<p id="service-facts">Service <code>${escapeHtml(s.url)}</code>${s.fixtureMode === undefined ? '' : ` (fixture, ${escapeHtml(s.fixtureMode)})`}: <span data-fact="completed">${s.completed}</span> users through the path, <strong data-fact="users-per-second">${Math.round(s.usersPerSecond)}</strong> users/s, <span data-fact="events">${s.events}</span> events received.</p>`,
    '<table id="latency"><tr><th>latency</th><th>samples</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr>',
  ];
  for (const [name, r] of rows(s)) {
    out.push(`<tr data-metric="${escapeHtml(name.split(' ')[0] === 'step' ? `step.${name.slice(5)}` : 'path')}"><td>${escapeHtml(name)}</td><td class="num">${r.count}</td><td class="num">${ms(r.p50)}</td><td class="num" data-p95>${ms(r.p95)}</td><td class="num">${ms(r.p99)}</td><td class="num">${ms(r.max)}</td></tr>`);
  }
  out.push('</table>');
  if (s.thresholds.length > 0) {
    out.push('<table id="service-thresholds"><tr><th>threshold</th><th>measured</th><th>verdict</th></tr>');
    for (const t of s.thresholds) out.push(`<tr data-ok="${t.ok}"><td><code>${escapeHtml(`${t.metric}: ${t.expression}`)}</code></td><td class="num">${measured(t.measured)}</td><td>${t.ok ? 'pass' : '<strong>fail</strong>'}</td></tr>`);
    out.push('</table>');
  }
  for (const k of s.skipped) out.push(`<p class="muted">Not checked: ${escapeHtml(k)}</p>`);
  return out;
}

import { findingFingerprint } from './finding-fingerprint.js';
import { escapeHtml } from './escape-html.js';
import { formatDuration } from './format-number.js';
import { ingestRates } from './ingest-rates.js';
import { redactSecrets } from './redact-secrets.js';
import type { RunReport } from './run-report.js';
import { serviceHtml } from './service-section.js';
import { svgBarChart } from './svg-bar-chart.js';
import { svgLineChart } from './svg-line-chart.js';

/** Options of {@link formatHtml}. */
export interface HtmlReportOptions {
  /** Findings listed in full at most (the rest are counted). Default: 200. */
  readonly maxFindings?: number;
}

/** Colours of the ledgers and the workload in every chart. */
export const SERIES_COLORS: Readonly<Record<string, string>> = { minted: '#59a14f', memory: '#4e79a7', redis: '#e15759', clickhouse: '#f28e2b' };
const color = (name: string) => SERIES_COLORS[name] ?? '#76b7b2';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
main{max-width:900px;margin:0 auto;padding:20px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.verdict{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600}
.pass{background:#1a7f37}.fail{background:#cf222e}.infra{background:#9a6700}
table{border-collapse:collapse;background:#fff} td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top} th{background:#eef1f4}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.chart{background:#fff;border:1px solid #d0d7de;border-radius:6px;max-width:100%;height:auto}
.chart text{font:11px system-ui,sans-serif;fill:#1b1f24} .chart .cat{font-size:12px} .chart .legend{font-size:12px}
.chart .axis{stroke:#57606a} .chart .grid{stroke:#eaeef2}
.finding{background:#fff;border:1px solid #d0d7de;border-left:4px solid #cf222e;border-radius:6px;padding:8px 12px;margin:8px 0}
.finding.known{border-left-color:#9a6700}
code,pre{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef1f4;border-radius:4px;padding:1px 4px}
pre{padding:6px 8px;white-space:pre-wrap;word-break:break-all;margin:4px 0}
.muted{color:#57606a}
`;

function verdictOf(r: RunReport): { text: string; cls: string } {
  if (r.exitCode === 0) return { text: 'PASS', cls: 'pass' };
  if (r.exitCode === 3) return { text: 'INFRASTRUCTURE ERROR', cls: 'infra' };
  return { text: 'FAIL', cls: 'fail' };
}

/**
 * The run's report as one self-contained HTML page: inline CSS and SVG charts, no script and no
 * external resource, so it opens offline from a CI artifact. Charts: IDs per domain and ledger,
 * ingest rate over time, and entropy per domain where the entropy check reported figures.
 * Findings come with their IDs, owners and replay commands. Secrets are redacted.
 */
export function formatHtml(report: RunReport, options: HtmlReportOptions = {}): string {
  const r = redactSecrets(report);
  const max = options.maxFindings ?? 200;
  const v = verdictOf(r);
  const totalMinted = r.domains.reduce((s, d) => s + d.minted, 0);
  const known = new Set(r.baseline?.known ?? []);
  const fact = (key: string, label: string, value: string) => `<tr><th>${label}</th><td data-fact="${key}">${value}</td></tr>`;
  const out: string[] = [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>idgate ${escapeHtml(r.command)} · ${escapeHtml(r.target)} · ${v.text}</title><style>${STYLE}</style></head><body><main>`,
    `<h1>idgate ${escapeHtml(r.command)} <span class="verdict ${v.cls}" id="verdict">${v.text}</span></h1>`,
    `<p class="muted">run <code>${escapeHtml(r.runId)}</code>, started ${escapeHtml(r.startedAt)}, idgate ${escapeHtml(r.idgateVersion)}</p>`,
    '<table id="facts">',
    fact('target', 'target', `<code>${escapeHtml(r.target)}</code>`),
    fact('profile', 'profile', escapeHtml(r.profile)),
    fact('seed', 'seed', String(r.seed)),
    fact('users', 'users', String(r.users)),
    fact('minted', 'IDs minted', `${totalMinted}`),
    fact('findings', 'findings', `${r.findings.length}${r.baseline ? ` (${r.baseline.new.length} new, ${r.baseline.known.length} known, ${r.baseline.fixed.length} fixed)` : ''}`),
    fact('wall', 'wall time', escapeHtml(formatDuration(r.timings.wallMs))),
    fact('exit', 'exit code', String(r.exitCode)),
    fact('replay', 'replay', `<code>${escapeHtml(r.replay)}</code>`),
    '</table>',
  ];

  if (r.service !== undefined) out.push(...serviceHtml(r.service));
  out.push('<h2>IDs per domain and ledger</h2>');
  const domains = r.domains.map((d) => d.domain);
  if (domains.length === 0) out.push('<p class="muted">No IDs were minted.</p>');
  else {
    const series = [
      { name: 'minted', color: color('minted'), values: r.domains.map((d) => d.minted) },
      ...r.ledgers.map((l) => ({ name: l.ledger, color: color(l.ledger), values: domains.map((d) => l.domains.find((x) => x.domain === d)?.stored) })),
    ];
    out.push(`<figure id="chart-ids">${svgBarChart({ title: 'IDs per domain: minted, and stored by each ledger', categories: domains, series })}</figure>`);
  }

  out.push('<h2>Ingest rate over time</h2>');
  const rates = ingestRates(r.series);
  if (rates.size === 0) out.push('<p class="muted">The run was too short to sample a rate.</p>');
  else {
    const series = [...rates].map(([name, points]) => ({ name, color: color(name), points }));
    out.push(`<figure id="chart-rate">${svgLineChart({ title: 'Ingest rate (IDs per second) over the run', series, xLabel: 'time since start', yLabel: 'IDs/s' })}</figure>`);
  }

  if (r.entropy.length > 0) {
    out.push('<h2>Entropy and collision projection per domain</h2>');
    const cats = r.entropy.map((e) => e.domain);
    out.push(
      `<figure id="chart-entropy">${svgBarChart({
        title: 'Random bits per domain: estimated from the IDs, claimed by the spec; the tick marks the bits needed',
        categories: cats,
        series: [
          { name: 'estimated bits', color: '#4e79a7', values: r.entropy.map((e) => e.estimatedBits) },
          { name: 'claimed bits', color: '#bab0ac', values: r.entropy.map((e) => e.claimedBits) },
        ],
        markers: r.entropy.map((e) => e.neededBits),
        markerName: 'bits needed',
        format: (x) => x.toFixed(1),
      })}</figure>`,
    );
    out.push('<table id="entropy"><tr><th>domain</th><th>estimated bits</th><th>claimed bits</th><th>bits needed</th><th>P(collision) at production volume</th></tr>');
    for (const e of r.entropy) {
      const n = (x: number | undefined, d = 1) => (x === undefined ? '—' : x.toFixed(d));
      out.push(`<tr><td>${escapeHtml(e.domain)}</td><td class="num">${n(e.estimatedBits)}</td><td class="num">${n(e.claimedBits)}</td><td class="num">${n(e.neededBits)}</td><td class="num">${e.collisionProbability === undefined ? '—' : e.collisionProbability.toExponential(2)}</td></tr>`);
    }
    out.push('</table>');
  }

  out.push('<h2>Counts per ledger</h2><table id="counts"><tr><th>domain</th><th>minted</th>');
  for (const l of r.ledgers) out.push(`<th>${escapeHtml(l.ledger)} stored</th>`);
  out.push('</tr>');
  for (const d of r.domains) {
    out.push(`<tr data-domain="${escapeHtml(d.domain)}"><td>${escapeHtml(d.domain)}</td><td class="num" data-ledger="minted">${d.minted}</td>`);
    for (const l of r.ledgers) out.push(`<td class="num" data-ledger="${escapeHtml(l.ledger)}">${l.domains.find((x) => x.domain === d.domain)?.stored ?? '—'}</td>`);
    out.push('</tr>');
  }
  out.push('</table>');
  out.push(`<p class="muted">Time in appends: ${Object.entries(r.timings.ledgerMs).map(([k, ms]) => `${escapeHtml(k)} ${escapeHtml(formatDuration(ms))}`).join(', ') || '—'}; workload ${escapeHtml(formatDuration(r.timings.workloadMs))}.</p>`);

  out.push(`<h2>Findings (${r.findings.length})</h2>`);
  if (r.findings.length === 0) out.push('<p id="no-findings">No findings: every check passed over every domain.</p>');
  for (const f of r.findings.slice(0, max)) {
    const isKnown = known.has(findingFingerprint(f));
    const owners = f.owners.slice(0, 5).map((o) => `${o} (${escapeHtml(r.owners[String(o)] ?? '?')})`);
    out.push(
      `<div class="finding${isKnown ? ' known' : ''}" data-kind="${escapeHtml(f.kind)}" data-fingerprint="${escapeHtml(findingFingerprint(f))}">`,
      `<strong>${escapeHtml(f.kind)}${f.rule === undefined ? '' : `/${escapeHtml(f.rule)}`}</strong>${f.domain === undefined ? '' : ` · ${escapeHtml(f.domain)}`}${isKnown ? ' · <em>known (baseline)</em>' : ''}`,
      `<div>${escapeHtml(f.message)}</div>`,
      f.ids.length > 0 ? `<div>IDs: ${f.ids.slice(0, 5).map((i) => `<code>${escapeHtml(i)}</code>`).join(' ')}${f.ids.length > 5 ? ` … (${f.ids.length})` : ''}</div>` : '',
      owners.length > 0 ? `<div>owners: ${owners.join(', ')}${f.owners.length > 5 ? ` … (${f.owners.length})` : ''}</div>` : '',
      `<pre class="replay">${escapeHtml(f.replay?.command ?? r.replay)}</pre></div>`,
    );
  }
  if (r.findings.length > max) out.push(`<p class="muted">… and ${r.findings.length - max} more in result.json.</p>`);
  if (r.baseline !== undefined && r.baseline.fixed.length > 0) {
    out.push(`<h2>Fixed since the baseline</h2><ul id="fixed">${r.baseline.fixed.map((p) => `<li><code>${escapeHtml(p)}</code></li>`).join('')}</ul><p class="muted">Shrink the baseline with <code>--update-baseline</code>.</p>`);
  }
  out.push('</main></body></html>');
  return `${out.join('\n')}\n`;
}

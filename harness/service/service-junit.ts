import type { RunReport } from '../report/index.js';

/** The checks a service run always makes, as JUnit test cases: the finding kinds each one fails on. */
const CASES: readonly { readonly name: string; readonly kinds: readonly string[]; readonly rules?: readonly string[] }[] = [
  { name: 'every ID seen once (duplicate, multi-owner)', kinds: ['duplicate', 'multi-owner'] },
  { name: 'every ID in its domain’s shape (pattern)', kinds: ['pattern', 'consistency', 'entropy'] },
  { name: 'every ID names its real parent (relation)', kinds: ['relation'] },
  { name: 'every user sees only its own IDs and state (isolation)', kinds: ['isolation'] },
  { name: 'every step answered in time (target-failure)', kinds: ['target-failure'] },
  { name: 'ledger counts reconcile (lost-write, unexpected)', kinds: ['lost-write', 'unexpected', 'infrastructure'] },
];

/** Characters XML 1.0 cannot hold (C0 controls but tab, LF, CR), written as U+FFFD. */
const notXml = (c: string) => {
  const n = c.charCodeAt(0);
  return (n < 0x20 && n !== 0x09 && n !== 0x0a && n !== 0x0d) || n === 0xfffe || n === 0xffff;
};

const xml = (s: string) =>
  Array.from(s, (c) => (notXml(c) ? '\ufffd' : c))
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/**
 * A service run as JUnit XML for CI: one test case per check family (failing with its findings'
 * messages) and one per threshold (failing with the measured value). Threshold findings count
 * under their threshold, not under `target-failure`.
 */
export function formatServiceJunit(report: RunReport): string {
  const suite = `idgate ${report.command} --service`;
  const cases: string[] = [];
  let failures = 0;
  const seconds = (report.timings.wallMs / 1000).toFixed(3);
  for (const c of CASES) {
    const hits = report.findings.filter((f) => c.kinds.includes(f.kind) && f.rule !== 'threshold');
    if (hits.length === 0) cases.push(`    <testcase classname="${xml(suite)}" name="${xml(c.name)}" time="0"/>`);
    else {
      failures++;
      const text = hits.map((f) => `${f.kind}${f.rule === undefined ? '' : `/${f.rule}`}: ${f.message}\nreplay: ${f.replay?.command ?? report.replay}`).join('\n\n');
      cases.push(`    <testcase classname="${xml(suite)}" name="${xml(c.name)}" time="0">`, `      <failure message="${xml(`${hits.length} finding(s): ${hits[0]!.message}`.slice(0, 500))}" type="${xml(hits[0]!.kind)}">${xml(text)}</failure>`, '    </testcase>');
    }
  }
  for (const t of report.service?.thresholds ?? []) {
    const name = `threshold ${t.metric}: ${t.expression}`;
    if (t.ok) cases.push(`    <testcase classname="${xml(suite)}" name="${xml(name)}" time="0"/>`);
    else {
      failures++;
      const why = `measured ${t.measured === null ? 'no sample' : String(t.measured)}, limit ${t.expression}`;
      cases.push(`    <testcase classname="${xml(suite)}" name="${xml(name)}" time="0">`, `      <failure message="${xml(why)}" type="threshold">${xml(why)}</failure>`, '    </testcase>');
    }
  }
  const total = CASES.length + (report.service?.thresholds.length ?? 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="idgate" tests="${total}" failures="${failures}" errors="0" time="${seconds}">`,
    `  <testsuite name="${xml(suite)}" tests="${total}" failures="${failures}" errors="0" skipped="0" time="${seconds}" timestamp="${xml(report.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

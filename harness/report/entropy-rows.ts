import type { Finding } from '../model/index.js';
import type { EntropyRow } from './run-report.js';

// Names the entropy check may give its figures; the first present wins.
const KEYS: Readonly<Record<Exclude<keyof EntropyRow, 'domain'>, readonly string[]>> = {
  estimatedBits: ['estimatedBits', 'estimatedEntropyBits', 'minEntropyBits', 'estimated'],
  claimedBits: ['claimedBits', 'specBits', 'claimed'],
  neededBits: ['bitsNeeded', 'neededBits', 'requiredBits', 'needed'],
  collisionProbability: ['collisionProbability', 'projectedProbability', 'probability', 'projection'],
};

function pick(evidence: Readonly<Record<string, unknown>>, names: readonly string[]): number | undefined {
  for (const n of names) {
    const v = evidence[n];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

/** An entropy row from a record of figures (a finding's evidence or a check's report data); undefined without any figure. */
export function entropyRowOf(domain: string, figures: Readonly<Record<string, unknown>>): EntropyRow | undefined {
  const row: { -readonly [K in keyof EntropyRow]: EntropyRow[K] } = { domain };
  let any = false;
  for (const [key, names] of Object.entries(KEYS) as [keyof typeof KEYS, readonly string[]][]) {
    const v = pick(figures, names);
    if (v !== undefined) {
      row[key] = v;
      any = true;
    }
  }
  return any ? row : undefined;
}

/**
 * Per-domain entropy figures read from `entropy` findings' evidence, plus any per-domain records
 * the run carries (`extra`, e.g. the entropy check's report data). One row per domain, the
 * first seen winning; empty when the entropy check reported nothing.
 */
export function entropyRows(findings: readonly Finding[], extra: readonly Readonly<Record<string, unknown>>[] = []): EntropyRow[] {
  const rows = new Map<string, EntropyRow>();
  for (const r of extra) {
    const domain = r.domain;
    if (typeof domain !== 'string' || rows.has(domain)) continue;
    const row = entropyRowOf(domain, r);
    if (row) rows.set(domain, row);
  }
  for (const f of findings) {
    if (f.kind !== 'entropy' || f.domain === undefined || rows.has(f.domain)) continue;
    // The entropy check puts its table row under `evidence.row`; older shapes put figures at the top.
    const nested = f.evidence.row;
    const row = entropyRowOf(f.domain, typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>) : f.evidence);
    if (row) rows.set(f.domain, row);
  }
  return [...rows.values()];
}

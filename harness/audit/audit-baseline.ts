import { readFile, writeFile } from 'node:fs/promises';
import { UsageError } from '../model/index.js';
import type { AuditHit } from './audit-hit.js';
import { isAuditRuleId, type AuditRuleId } from './audit-rule.js';

/** One accepted finding in a baseline file. */
export interface BaselineEntry {
  readonly fingerprint: string;
  readonly rule: AuditRuleId;
  readonly file: string;
  readonly call: string;
}

/** The baseline file: findings accepted for now, to be fixed over time. */
export interface AuditBaseline {
  readonly version: 1;
  readonly entries: readonly BaselineEntry[];
}

/** Findings split against a baseline: the ratchet. */
export interface BaselineComparison {
  /** Not in the baseline: these fail the audit. */
  readonly added: readonly AuditHit[];
  /** In the baseline and still there: reported, pass. */
  readonly known: readonly AuditHit[];
  /** In the baseline but gone: fixed; update the baseline so it shrinks. */
  readonly fixed: readonly BaselineEntry[];
}

/** Builds a baseline from findings, sorted so the file diffs cleanly. */
export function baselineOf(hits: readonly AuditHit[]): AuditBaseline {
  const entries = hits.map((h) => ({ fingerprint: h.fingerprint, rule: h.rule, file: h.file, call: h.call }));
  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  return { version: 1, entries };
}

/** Splits findings into added, known and fixed against `baseline`. */
export function compareBaseline(hits: readonly AuditHit[], baseline: AuditBaseline): BaselineComparison {
  const known = new Set(baseline.entries.map((e) => e.fingerprint));
  const current = new Set(hits.map((h) => h.fingerprint));
  return {
    added: hits.filter((h) => !known.has(h.fingerprint)),
    known: hits.filter((h) => known.has(h.fingerprint)),
    fixed: baseline.entries.filter((e) => !current.has(e.fingerprint)),
  };
}

/** Reads and validates a baseline file; a missing or malformed file is a {@link UsageError}. */
export async function readBaseline(path: string): Promise<AuditBaseline> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError('IDGATE_AUDIT_BASELINE', `idgate audit: cannot read baseline ${JSON.stringify(path)}`, 'create it with idgate audit <path> --baseline <file> --update-baseline', { cause: e });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError('IDGATE_AUDIT_BASELINE', `idgate audit: baseline ${JSON.stringify(path)} is not JSON`, 'restore it from version control or recreate it with --update-baseline', { cause: e });
  }
  const entries = (data as { entries?: unknown } | null)?.entries;
  if ((data as { version?: unknown } | null)?.version !== 1 || !Array.isArray(entries) || !entries.every(isEntry)) {
    throw new UsageError('IDGATE_AUDIT_BASELINE', `idgate audit: baseline ${JSON.stringify(path)} is not an idgate audit baseline (version 1)`, 'recreate it with --update-baseline');
  }
  return { version: 1, entries };
}

/** Writes a baseline file (pretty JSON, one entry per line block, trailing newline). */
export async function writeBaseline(path: string, baseline: AuditBaseline): Promise<void> {
  await writeFile(path, `${JSON.stringify(baseline, null, 2)}\n`);
}

function isEntry(e: unknown): e is BaselineEntry {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as Record<string, unknown>;
  return typeof r.fingerprint === 'string' && typeof r.rule === 'string' && isAuditRuleId(r.rule) && typeof r.file === 'string' && typeof r.call === 'string';
}

import type { AuditRuleId } from './audit-rule.js';

/** Where a scanner saw one bypass, before any baseline: offsets into the file's text. */
export interface RawHit {
  readonly rule: AuditRuleId;
  /** UTF-16 offset of the flagged expression's first character. */
  readonly start: number;
  /** UTF-16 offset just past its last character. */
  readonly end: number;
}

/** One bypass of the single ID generator, located and explained. */
export interface AuditHit {
  readonly rule: AuditRuleId;
  /** Path relative to the audited root, `/`-separated. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column in UTF-16 code units (what editors and SARIF's default expect). */
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** The flagged call as written, whitespace collapsed (`uuid.uuid4().hex[:8]`). */
  readonly call: string;
  /** The SSOT call to use instead. */
  readonly hint: string;
  /**
   * Stable across unrelated edits: rule, file, normalized call and its occurrence index among
   * identical calls in the file; never line numbers.
   */
  readonly fingerprint: string;
}

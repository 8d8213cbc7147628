import type { AuditLanguage } from './audit-rule.js';

const PYTHON = ['.py', '.pyi', '.pyw'];
const SCRIPT = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const DECLARATION = ['.d.ts', '.d.mts', '.d.cts'];

/** One file to audit. */
export interface SourceFile {
  /** Absolute path on disk. */
  readonly path: string;
  /** Path relative to the audited root, `/`-separated: what findings and baselines show. */
  readonly rel: string;
  readonly language: AuditLanguage;
}

/**
 * The language of a file by its name, or null for files the audit does not read. Declaration
 * files (`.d.ts`) hold no calls and are skipped.
 */
export function languageOf(name: string): AuditLanguage | null {
  if (PYTHON.some((e) => name.endsWith(e))) return 'python';
  if (DECLARATION.some((e) => name.endsWith(e))) return null;
  if (SCRIPT.some((e) => name.endsWith(e))) return 'typescript';
  return null;
}

/**
 * Words at least one of which every file with a finding mentions as a whole word: each rule keys
 * on a module or global that the file must name to reach it (`import time`, `'uuid'`,
 * `crypto.randomUUID`, `from 'nanoid'`, `Math.random`). Files that mention none are not parsed;
 * this decides only what to skip, never what is found (a test proves the results are equal).
 */
export const PREFILTER: Readonly<Record<AuditLanguage, readonly string[]>> = {
  python: ['uuid', 'secrets', 'time'],
  typescript: ['uuid', 'randomUUID', 'nanoid', 'random'],
};

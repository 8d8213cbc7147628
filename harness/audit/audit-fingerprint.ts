import { createHash } from 'node:crypto';

/**
 * The call text baselines compare: whitespace runs (including line breaks) collapsed to one
 * space and trimmed, so re-indenting or re-wrapping a call keeps its fingerprint.
 */
export function normalizeCall(text: string): string {
  let out = '';
  let space = false;
  for (const ch of text) {
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v') {
      space = out.length > 0;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

/**
 * A baseline fingerprint: 16 hex digits of SHA-256 over rule, file, normalized call and the
 * call's occurrence index among identical (rule, file, call) findings, in file order. No line
 * numbers: an edit elsewhere in the file leaves it unchanged.
 */
export function auditFingerprint(rule: string, file: string, call: string, occurrence: number): string {
  return createHash('sha256').update(`${rule}\0${file}\0${call}\0${occurrence}`).digest('hex').slice(0, 16);
}

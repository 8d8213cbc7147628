import { expect } from 'vitest';
import type { FindingKind } from '../../harness/model/index.js';
import { findingsFor, formatFindings } from './findings-for.js';

/** Fails with every matching finding, readably, unless there is none. */
export function expectNoFindings(kind: FindingKind | readonly FindingKind[], domain?: string): void {
  const found = findingsFor(kind, domain);
  expect(found.map((f) => `${f.kind}: ${f.message}`), `\n${formatFindings(found)}\n`).toEqual([]);
}

export { compareIds } from './compare-ids.js';
export { encodeIds } from './encode-batch.js';
export { fingerprintAll, fingerprintOf } from './fingerprint.js';
export { MemoryLedger } from './memory-ledger.js';
export { verdictFindings } from './verdict-findings.js';

export type { EncodedIds } from './encode-batch.js';
export type { DomainTally, IdExample, Ledger, LedgerKind, LedgerOptions, LedgerVerdict } from './ledger.js';
export type { MemoryLedgerOptions } from './memory-ledger.js';

export { toCheckedBatch } from './check.js';
export { CHECKS } from './checks-registry.js';
export { clickhousePatternCounts } from './clickhouse-pattern-counts.js';
export { consistencyCheck } from './consistency-check.js';
export { ExampleSink } from './example-sink.js';
export { isolationCheck } from './isolation-check.js';
export { ledgerFindings } from './ledger-agreement.js';
export { patternCheck } from './pattern-check.js';
export { relationCheck } from './relation-check.js';
export { sqlStringLiteral } from './sql-string-literal.js';

export type { Check, CheckContext, CheckedBatch, CheckFactory } from './check.js';
export type { ClickHousePatternOptions } from './clickhouse-pattern-counts.js';

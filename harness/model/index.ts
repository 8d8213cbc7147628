export { DEFAULT_DOMAIN_NAMES, isDomainName } from './domain-name.js';
export { ExitCode } from './exit-code.js';
export { FINDING_KINDS, exitCodeFor } from './finding.js';
export { seededUniform, seededWords } from './seeded-random.js';
export { createIdBatch, illFormedIdError, validateIdBatch, validateIdBatchShape } from './id-batch.js';
export { IdgateError, InfrastructureError, UsageError } from './idgate-error.js';
export { startModuleWorker } from './module-worker.js';

export type { DomainName } from './domain-name.js';
export type { Finding, FindingKind, Replay } from './finding.js';
export type { IdBatch, IdBatchInit } from './id-batch.js';
export type { CleanupExercise, FlowObservations, RoutedMessage, StateKey, StateScan, UserCleanup } from './flow-observations.js';
export type { IdView, ObservedBatch } from './observed-batch.js';

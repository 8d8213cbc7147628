/**
 * idgate's public API: `import { defineConfig, runGate, … } from 'idgate'`. Vitest helpers for
 * adding idgate's suites to a team's own vitest project live in `idgate/vitest`.
 */
export { ConfigError, CONFIG_FILE_NAMES, defineConfig, loadConfig } from './config/index.js';
export { applyBaseline, buildRunReport, createGateProgress, main, openLedgers, resolveTarget, runGate } from './cli/index.js';
export { exitCodeFor, ExitCode, FINDING_KINDS, IdgateError, InfrastructureError, UsageError } from './model/index.js';
export {
  compareFindingBaseline,
  findingBaselineOf,
  findingFingerprint,
  formatFinding,
  formatHtml,
  formatMarkdown,
  readFindingBaseline,
  readRunReport,
  redactSecrets,
  writeFindingBaseline,
  writeReports,
} from './report/index.js';
export { compileCatalog, counter, DEFAULT_CATALOG, defaultCatalog, defineDomain, extendCatalog, literal, opSlug, parent, random, timestampMs, userTag } from './spec/index.js';
export { serveTarget } from './targets/index.js';
export { PROFILES, resolveProfile } from './workload/index.js';

export type { AuditConfig, ConfigProfileName, IdgateConfig, IdgateThresholds, LoadConfigOptions, LoadedConfig, ProfileOverrides } from './config/index.js';
export type { GateProgress, GateResult, RunGateOptions, TargetSpec } from './cli/index.js';
export type { DomainName, Finding, FindingKind, IdBatch, Replay } from './model/index.js';
export type { BaselineOutcome, EntropyRow, FindingBaseline, IngestSample, RunReport } from './report/index.js';
export type { CatalogDefinition, DomainCatalog, DomainSpec } from './spec/index.js';
export type { GenerateContext, Target, TargetFactory, TargetFactoryOptions } from './targets/index.js';
export type { Profile } from './workload/index.js';

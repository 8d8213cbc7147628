export { applyBaseline } from './apply-baseline.js';
export { buildRunReport } from './build-run-report.js';
export { commandHelp, parseFlags } from './flags.js';
export { idgateVersion } from './idgate-version.js';
export { expectedIdsOf, openLedgers } from './open-ledgers.js';
export { createGateProgress, IngestSeries, isCi, LineProgress, ProgressState, SILENT_PROGRESS, TtyProgress } from './progress/index.js';
export { BUILTIN_TARGETS, replayCommand, resolveTarget, startTarget } from './resolve-target.js';
export { runGate } from './run-gate.js';
export { main } from './run-cli.js';

export type { AppliedBaseline, ApplyBaselineOptions } from './apply-baseline.js';
export type { BuildRunReportOptions } from './build-run-report.js';
export type { CommandSpec, FlagSpec, FlagValues } from './flags.js';
export type { OpenLedgersOptions } from './open-ledgers.js';
export type { CreateGateProgressOptions, GatePlan, GateProgress, IngestSeriesOptions, LineProgressOptions, TtyProgressOptions } from './progress/index.js';
export type { TargetSpec } from './resolve-target.js';
export type { GateResult, RunGateOptions } from './run-gate.js';

export { commandHelp, parseFlags } from './flags.js';
export { openLedgers } from './open-ledgers.js';
export { BUILTIN_TARGETS, replayCommand, resolveTarget, startTarget } from './resolve-target.js';
export { runGate } from './run-gate.js';
export { main } from './run-cli.js';

export type { CommandSpec, FlagSpec, FlagValues } from './flags.js';
export type { OpenLedgersOptions } from './open-ledgers.js';
export type { TargetSpec } from './resolve-target.js';
export type { GateResult, RunGateOptions } from './run-gate.js';

/**
 * `idgate/vitest`: helpers for running idgate's suites inside a team's own vitest project, and
 * for writing suites of its own over a run's findings.
 */
export { expectNoFindings } from './expect-no-findings.js';
export { findingsFor, formatFindings, gateSummary } from './findings-for.js';
export { idgateProject } from './idgate-project.js';

export type { GateRequest, GateSummary } from './gate-provided.js';
export type { IdgateProjectOptions } from './idgate-project.js';

export { createGateProgress, isCi } from './create-progress.js';
export { SILENT_PROGRESS } from './gate-progress.js';
export { IngestSeries } from './ingest-series.js';
export { LineProgress } from './line-progress.js';
export { ProgressState } from './progress-state.js';
export { TtyProgress } from './tty-progress.js';

export type { CreateGateProgressOptions } from './create-progress.js';
export type { GatePlan, GateProgress } from './gate-progress.js';
export type { IngestSeriesOptions } from './ingest-series.js';
export type { LineProgressOptions } from './line-progress.js';
export type { TtyProgressOptions } from './tty-progress.js';

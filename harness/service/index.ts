export { percentiles } from './percentiles.js';
export { runServiceGolden } from './run-service-golden.js';
export { judgeService } from './service-judge.js';
export { formatServiceJunit } from './service-junit.js';
export { serviceRunReport } from './service-run-report.js';
export { ServiceThresholdError, evaluateServiceThresholds, parseServiceThresholds, thresholdFindings } from './service-thresholds.js';

export type { Percentiles } from './percentiles.js';
export type { ServiceGoldenOptions, ServiceGoldenResult } from './run-service-golden.js';
export type { ServiceJudgeContext } from './service-judge.js';
export type { ServiceRunReportOptions } from './service-run-report.js';
export type { ServiceMetrics, ServiceThreshold, ServiceThresholdResult, ServiceThresholds } from './service-thresholds.js';

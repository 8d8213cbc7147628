export { percentiles } from './percentiles.js';
export { runServiceGolden } from './run-service-golden.js';
export { judgeService } from './service-judge.js';

export type { Percentiles } from './percentiles.js';
export type { ServiceGoldenOptions, ServiceGoldenResult } from './run-service-golden.js';
export type { ServiceJudgeContext } from './service-judge.js';

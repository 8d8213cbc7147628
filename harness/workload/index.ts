export { PROFILES, resolveProfile } from './profile.js';
export { WORKLOAD_OPS, runWorkload } from './run-workload.js';
export { createUserTable } from './user-table.js';

export type { Profile, ProfileLedger } from './profile.js';
export type { WorkloadFacts, WorkloadOptions } from './run-workload.js';

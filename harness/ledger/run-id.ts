import { randomBytes } from 'node:crypto';
import { UsageError } from '../model/index.js';

const RUN_ID = /^[a-z0-9][a-z0-9_]{0,47}$/;

/**
 * Checks a run ID before it names a store namespace (a Redis key prefix, a ClickHouse database):
 * lower-case letters, digits and `_`, 1–48 characters, starting with a letter or digit. Nothing
 * else may reach a key pattern or SQL text, so no glob or quote character can ever widen a
 * cleanup beyond the run's own namespace.
 */
export function validateRunId(api: string, runId: string): string {
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw new UsageError(
      'IDGATE_BAD_RUN_ID',
      `${api}: run ID ${JSON.stringify(runId)} is not usable as a store namespace`,
      'use 1–48 lower-case letters, digits or _, starting with a letter or digit (or leave it out for a random one)',
    );
  }
  return runId;
}

/** A fresh run ID: `r` plus 24 hex digits of randomness. */
export function newRunId(): string {
  return `r${randomBytes(12).toString('hex')}`;
}

import { UsageError } from '../model/index.js';

/** One shard of a run split over processes or machines: shard `index` (0-based) of `count`. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** Most shards of one run (a bucket value keeps the shard in 8 bits). */
export const MAX_SHARDS = 255;

/**
 * Reads `--shard i/N` (0 ≤ i < N ≤ 255): this process mints the users `u` with `u mod N = i`
 * (see `runWorkload`'s `shard`), so the split depends only on the seed's user table, never on
 * timing or machine. `command` names the CLI command in the error.
 */
export function parseShardSpec(command: string, text: string): ShardSpec {
  const m = /^(\d{1,3})\/(\d{1,3})$/.exec(text.trim());
  const index = m === null ? Number.NaN : Number(m[1]);
  const count = m === null ? Number.NaN : Number(m[2]);
  if (!(count >= 1 && count <= MAX_SHARDS && index >= 0 && index < count)) {
    throw new UsageError('IDGATE_BAD_SHARD', `idgate ${command}: --shard must be i/N with 0 ≤ i < N ≤ ${MAX_SHARDS}, got ${JSON.stringify(text)}`, `write --shard 0/3, --shard 1/3 and --shard 2/3 for three shards`);
  }
  return { index, count };
}

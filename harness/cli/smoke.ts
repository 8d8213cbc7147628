import { randomBytes } from 'node:crypto';
import { MemoryLedger } from '../ledger/index.js';
import { createIdBatch, ExitCode, exitCodeFor, InfrastructureError } from '../model/index.js';
import { pingClickHouse, pingRedis, startStores, type StoreProviderName } from '../stores/index.js';
import type { CommandSpec, FlagValues } from './flags.js';

/** `idgate smoke`: proves the machine can run idgate. */
export const smokeCommand: CommandSpec = {
  name: 'smoke',
  summary: 'start Redis and ClickHouse, write generated IDs to the memory ledger, ping both servers, print rates',
  flags: [
    { name: 'ids', type: 'number', default: 1_000_000, description: 'how many IDs to write to the memory ledger' },
    { name: 'stores', type: 'string', default: 'auto', description: 'where stores come from: auto, url or local' },
  ],
};

/** Runs the smoke check; returns the exit code. */
export async function runSmoke(flags: FlagValues, out: (line: string) => void): Promise<number> {
  const total = flags.ids as number;
  if (!Number.isInteger(total) || total < 1 || total > 1e9) {
    out(`idgate smoke: --ids must be a whole number from 1 to 1e9, got ${total}`);
    return ExitCode.Usage;
  }
  const t0 = performance.now();
  const stores = await startStores({ provider: flags.stores as StoreProviderName | 'auto', log: out });
  try {
    const startMs = performance.now() - t0;
    for (const ep of stores.list()) out(`${ep.name.padEnd(10)} ${ep.provider.padEnd(5)} ${ep.displayUrl}`);
    out(`stores ready in ${startMs.toFixed(0)} ms`);

    const redis = new URL(stores.endpoint('redis').url);
    const ch = new URL(stores.endpoint('clickhouse').url);
    const p0 = performance.now();
    const [redisOk, chOk] = await Promise.all([pingRedis(Number(redis.port || 6379)), pingClickHouse(Number(ch.port || 8123)).catch(() => false)]);
    out(`ping       redis ${redisOk ? 'PONG' : 'FAILED'}, clickhouse ${chOk ? 'Ok' : 'FAILED'} (${(performance.now() - p0).toFixed(1)} ms)`);
    if (!redisOk || !chOk) {
      throw new InfrastructureError('IDGATE_PING_FAILED', `idgate smoke: a store did not answer its ping (redis ${redisOk}, clickhouse ${chOk})`, 'check the server logs; for URL stores check the URL and credentials');
    }

    const ledger = new MemoryLedger({ expectedIds: total });
    let genMs = 0;
    let appendMs = 0;
    for (let done = 0, seq = 0; done < total; seq++) {
      const n = Math.min(50_000, total - done);
      const g0 = performance.now();
      const hex = randomBytes(12 * n).toString('hex');
      const ids = Array.from({ length: n }, (_, i) => `smoke_${hex.slice(i * 24, i * 24 + 24)}`);
      const batch = createIdBatch({ batchId: `smoke-${seq}`, domain: 'message', ids, owners: seq % 100 });
      const a0 = performance.now();
      ledger.appendSync(batch);
      appendMs += performance.now() - a0;
      genMs += a0 - g0;
      done += n;
    }
    const verdict = await ledger.verify();
    await ledger.close();
    const tally = verdict.domains[0];
    out(`generate   ${total} IDs at ${((total / genMs) * 1000 / 1e6).toFixed(2)}M IDs/s`);
    out(`memory     ${tally?.appended ?? 0} appended, ${tally?.distinct ?? 0} distinct, at ${((total / appendMs) * 1000 / 1e6).toFixed(2)}M IDs/s`);
    const code = exitCodeFor(verdict.findings);
    for (const f of verdict.findings) out(`finding    ${f.kind}: ${f.message}`);
    out(code === ExitCode.Pass ? 'smoke: ok' : 'smoke: FAILED');
    return code;
  } finally {
    await stores.stop();
  }
}

// The nightly profile end to end: `node dist/bench/nightly-bench.js` (after `npm run build`).
// Drives runGate with the nightly profile on local servers, with the store ledgers sized for it,
// and samples the harness's RSS and Redis's used_memory while it runs.
import { appendFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { resolveTarget, runGate } from '../harness/cli/index.js';
import { ClickHouseLedger, RedisLedger } from '../harness/ledger/index.js';
import { startStores } from '../harness/stores/index.js';
import { resolveProfile } from '../harness/workload/index.js';
import { load } from './bench-ids.js';
import { describeHost, probeHost } from './host-probe.js';

/** What {@link benchNightly} measured. */
export interface NightlyBenchResult {
  readonly ids: number;
  readonly seconds: number;
  readonly exitCode: number;
  /** Peak RSS of the harness process (bytes), from the kernel's high-water mark. */
  readonly peakRss: number;
  /** RSS samples over the run (bytes), about one every 10 s. */
  readonly rssSamples: readonly number[];
  /** Redis used_memory at the end of ingest, per ID. */
  readonly redisBytesPerId: number;
  readonly clickhouseMaxMemoryUsage: number;
  readonly loadBefore: string;
  readonly loadAfter: string;
  /** {@link describeHost} of a probe taken before the run, to compare runs across machines. */
  readonly host: string;
}

/**
 * Runs the nightly profile (about 100M IDs, three ledgers) once and measures it. With
 * `journal`, every sample and the result are also appended there as JSON lines as they happen,
 * so a run that dies still leaves its figures.
 */
export async function benchNightly(seed = 1, log: (line: string) => void = () => undefined, journal?: string): Promise<NightlyBenchResult> {
  const note = (o: object) => {
    if (journal !== undefined) appendFileSync(journal, `${JSON.stringify({ at: new Date().toISOString(), ...o })}\n`);
  };
  const profile = resolveProfile('nightly');
  const ids = profile.idsPerDomain * (profile.domains?.length ?? 15);
  const host = describeHost(probeHost());
  note({ host });
  const loadBefore = load();
  const t0 = performance.now();
  const stores = await startStores({ provider: 'local', log });
  const redisUrl = stores.endpoint('redis').url;
  const admin = new Redis(redisUrl);
  const maxMemoryUsage = 8 * 1024 ** 3;
  const rssSamples: number[] = [];
  let redisPeak = 0;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    rssSamples.push(rss);
    void admin.info('memory').then(
      (s) => {
        const used = Number(/used_memory:(\d+)/.exec(s)?.[1] ?? 0);
        redisPeak = Math.max(redisPeak, used);
        note({ seconds: Math.round((performance.now() - t0) / 1000), rss, redisUsedMemory: used, load: load() });
      },
      () => undefined,
    );
  }, 10_000);
  try {
    const base = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
    const redis = await RedisLedger.open({ url: redisUrl, expectedIds: ids, maxExamples: profile.maxExamples });
    const clickhouse = await ClickHouseLedger.open({ url: stores.endpoint('clickhouse').url, maxExamples: profile.maxExamples, maxMemoryUsage });
    const result = await runGate({ target: resolveTarget('reference'), profile, seed, ledgers: [redis, clickhouse], log });
    const seconds = (performance.now() - t0) / 1000;
    const out = {
      ids,
      seconds,
      exitCode: result.exitCode,
      peakRss: process.resourceUsage().maxRSS * 1024,
      rssSamples,
      redisBytesPerId: (redisPeak - base) / ids,
      clickhouseMaxMemoryUsage: maxMemoryUsage,
      loadBefore,
      loadAfter: load(),
      host,
    };
    note({ result: { ...out, rssSamples: undefined }, findings: result.findings.map((f) => `${f.kind}: ${f.message}`).slice(0, 20), timings: result.timings });
    return out;
  } finally {
    clearInterval(sampler);
    admin.disconnect();
    await stores.stop();
  }
}

if (process.argv[1]?.endsWith('nightly-bench.js')) {
  const journal = process.env.IDGATE_NIGHTLY_JOURNAL;
  process.on('exit', (code) => {
    if (journal !== undefined) appendFileSync(journal, `${JSON.stringify({ at: new Date().toISOString(), exit: code })}\n`);
  });
  const r = await benchNightly(1, (l) => process.stderr.write(`${l}\n`), journal);
  console.log(JSON.stringify(r));
}

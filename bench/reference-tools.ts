import { ensureBinary } from '../harness/stores/index.js';

/**
 * The stores' own client tools the benches measure against: `redis-cli` and `redis-benchmark`
 * (Debian's redis-tools) and `clickhouse-client` (not pulled in by clickhouse-server). Installed
 * with apt-get when missing and running as root, like the servers; otherwise the error names the
 * package — before any server starts, so a fresh machine does not fail halfway through a bench.
 */
export async function ensureReferenceTools(): Promise<void> {
  for (const binary of ['redis-cli', 'redis-benchmark']) await ensureBinary({ binary, debianPackage: 'redis-tools' });
  await ensureBinary({ binary: 'clickhouse-client', debianPackage: 'clickhouse-client' });
}

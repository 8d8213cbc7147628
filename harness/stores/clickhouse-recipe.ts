import { mkdir, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { CLICKHOUSE_DIRS, clickhouseConfigXml } from './clickhouse-config.js';
import type { LocalServerRecipe } from './local-server.js';

/** Answers true when ClickHouse's HTTP interface at 127.0.0.1:`port` answers `/ping`. */
export function pingClickHouse(port: number, timeoutMs = 1000): Promise<boolean> {
  // No keep-alive: an idle pooled connection makes clickhouse-server wait seconds at shutdown.
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/ping', agent: false, timeout: timeoutMs, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve(res.statusCode === 200 && body.startsWith('Ok')));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/**
 * Debian's clickhouse-server (18.16) with a config of our own: HTTP and native ports on
 * 127.0.0.1 only, every path in the run's temporary directory, the `default` user without a
 * password reachable from loopback only, and a per-query memory limit.
 */
export const clickhouseRecipe: LocalServerRecipe = {
  name: 'clickhouse',
  binary: 'clickhouse-server',
  debianPackage: 'clickhouse-server',
  ports: 2,
  logFiles: ['clickhouse.err.log'],
  async prepare(dir, ports) {
    for (const sub of CLICKHOUSE_DIRS) await mkdir(join(dir, sub), { recursive: true });
    const xml = clickhouseConfigXml({ dir, httpPort: ports[0]!, tcpPort: ports[1]! });
    await writeFile(join(dir, 'config.xml'), xml);
    return [`--config-file=${join(dir, 'config.xml')}`];
  },
  probe: (ports) => pingClickHouse(ports[0]!),
  url: (ports) => `http://127.0.0.1:${ports[0]}`,
};

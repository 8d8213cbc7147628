import { mkdir, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
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

/** Memory one query may use in the local server: the machine has 24 GiB; stay well inside. */
export const CLICKHOUSE_MAX_MEMORY_USAGE = 8 * 1024 ** 3;

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
    for (const sub of ['data', 'tmp', 'user_files', 'format_schemas']) await mkdir(join(dir, sub), { recursive: true });
    // 18.16 reads users and profiles from the main config when users_config is absent.
    const xml = `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/clickhouse.log</log><errorlog>${dir}/clickhouse.err.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${ports[0]}</http_port>
  <tcp_port>${ports[1]}</tcp_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>64</max_concurrent_queries>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <profiles>
    <default>
      <max_memory_usage>${CLICKHOUSE_MAX_MEMORY_USAGE}</max_memory_usage>
      <max_bytes_before_external_group_by>${CLICKHOUSE_MAX_MEMORY_USAGE / 2}</max_bytes_before_external_group_by>
      <max_bytes_before_external_sort>${CLICKHOUSE_MAX_MEMORY_USAGE / 2}</max_bytes_before_external_sort>
    </default>
  </profiles>
  <quotas><default></default></quotas>
</yandex>
`;
    await writeFile(join(dir, 'config.xml'), xml);
    return [`--config-file=${join(dir, 'config.xml')}`];
  },
  probe: (ports) => pingClickHouse(ports[0]!),
  url: (ports) => `http://127.0.0.1:${ports[0]}`,
};

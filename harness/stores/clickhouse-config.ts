/** Options of {@link clickhouseConfigXml}. */
export interface ClickHouseConfigOptions {
  /** Directory that holds `data/`, `tmp/`, `user_files/`, `format_schemas/` (and the logs). */
  readonly dir: string;
  /** Address the server listens on. Default: `127.0.0.1`. */
  readonly listenHost?: string;
  /** HTTP port. */
  readonly httpPort: number;
  /** Native-protocol port. */
  readonly tcpPort: number;
  /** Networks the passwordless `default` user may connect from. Default: loopback only. */
  readonly networks?: readonly string[];
  /** `files` writes `clickhouse.log` / `clickhouse.err.log` into `dir`; `console` writes to stderr. Default: `files`. */
  readonly logTo?: 'files' | 'console';
}

/** Memory one query may use: the machine has 24 GiB; stay well inside. */
export const CLICKHOUSE_MAX_MEMORY_USAGE = 8 * 1024 ** 3;

/** The sub-directories of `dir` the config points at; they must exist and be writable. */
export const CLICKHOUSE_DIRS = ['data', 'tmp', 'user_files', 'format_schemas'] as const;

/**
 * The one config.xml idgate gives Debian's clickhouse-server (18.16), whether it runs as a local
 * process or inside a container image: every path under `dir`, the `default` user without a
 * password reachable only from `networks`, and a per-query memory limit.
 */
export function clickhouseConfigXml(options: ClickHouseConfigOptions): string {
  const { dir } = options;
  const networks = (options.networks ?? ['127.0.0.1', '::1']).map((n) => `<ip>${n}</ip>`).join('');
  const logger =
    (options.logTo ?? 'files') === 'files'
      ? `<logger><level>warning</level><log>${dir}/clickhouse.log</log><errorlog>${dir}/clickhouse.err.log</errorlog><console>0</console></logger>`
      : `<logger><level>warning</level><console>1</console></logger>`;
  // 18.16 reads users and profiles from the main config when users_config is absent.
  return `<?xml version="1.0"?>
<yandex>
  ${logger}
  <listen_host>${options.listenHost ?? '127.0.0.1'}</listen_host>
  <http_port>${options.httpPort}</http_port>
  <tcp_port>${options.tcpPort}</tcp_port>
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
      <networks>${networks}</networks>
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
}

import { createClient, ClickHouseLogLevel, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { IdgateError, InfrastructureError, UsageError } from '../model/index.js';
import { redactUrl } from '../stores/index.js';

const API = 'idgate scan clickhouse';

/** Options of {@link ReadOnlyClickHouse.open}. */
export interface ReadOnlyClickHouseOptions {
  /** `max_memory_usage` of every query, bytes. Default: 2 GiB. */
  readonly maxMemoryUsage?: number;
  /** Bound on any one query. Default: 600 000 ms. */
  readonly requestTimeoutMs?: number;
}

/**
 * A ClickHouse client whose every query runs with `readonly=2`: ClickHouse itself refuses any
 * write, DDL or temporary table, while settings may still be set — a memory cap, and GROUP BY
 * spilling to disk at half of it. {@link open} checks that the server really applies readonly.
 * ClickHouse 18.16 has no query parameters: only validated identifiers and spec-derived literals
 * reach SQL text, never an ID.
 */
export class ReadOnlyClickHouse {
  private constructor(
    private readonly client: ClickHouseClient,
    /** The settings every query carries: `readonly=2` and the memory limits. */
    readonly settings: Readonly<ClickHouseSettings>,
    /** The server's URL with credentials redacted. */
    readonly where: string,
  ) {}

  /** Connects and proves the session is read-only (`readonly` reads back as 1 or 2). */
  static async open(url: string, options: ReadOnlyClickHouseOptions = {}): Promise<ReadOnlyClickHouse> {
    const where = redactUrl(url);
    const max = options.maxMemoryUsage ?? 2 * 1024 ** 3;
    if (!Number.isInteger(max) || max < 1 << 20) throw new UsageError('IDGATE_SCAN_MEMORY', `${API}: max memory ${max} is below 1 MiB`, 'pass a byte count such as 2147483648');
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new UsageError('IDGATE_SCAN_URL', `${API}: --url is missing or not a URL`, 'give the server explicitly: --url http://<user>:<password>@<host>:8123');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError('IDGATE_SCAN_URL', `${API}: --url ${where} is not an http(s):// URL`, "use ClickHouse's HTTP interface: --url http://<user>:<password>@<host>:8123");
    const client = createClient({
      url,
      request_timeout: options.requestTimeoutMs ?? 600_000,
      max_open_connections: 2,
      compression: { request: false, response: false },
      log: { level: ClickHouseLogLevel.OFF },
    });
    const settings: ClickHouseSettings = {
      readonly: '2',
      max_memory_usage: String(max),
      max_bytes_before_external_group_by: String(Math.floor(max / 2)),
      max_bytes_before_external_sort: String(Math.floor(max / 2)),
    };
    const ro = new ReadOnlyClickHouse(client, settings, where);
    try {
      const [row] = await ro.rows<{ value: string }>("SELECT value FROM system.settings WHERE name = 'readonly'");
      if (row?.value !== '1' && row?.value !== '2') {
        throw new InfrastructureError('IDGATE_SCAN_NOT_READONLY', `${API}: ${where} does not apply readonly (it reads back ${JSON.stringify(row?.value)})`, 'nothing was scanned; connect through a server or proxy that honours the readonly setting');
      }
    } catch (e) {
      await client.close().catch(() => undefined);
      throw e;
    }
    return ro;
  }

  /** Runs a SELECT under readonly=2 and returns its rows. */
  async rows<T>(query: string, queryId?: string): Promise<T[]> {
    try {
      const rs = await this.client.query({ query, format: 'JSONEachRow', clickhouse_settings: this.settings, ...(queryId === undefined ? {} : { query_id: queryId }) });
      return await rs.json<T>();
    } catch (e) {
      throw clickhouseError(this.where, e);
    }
  }

  /** Closes the client. */
  async close(): Promise<void> {
    await this.client.close();
  }
}

function clickhouseError(where: string, e: unknown): IdgateError {
  if (e instanceof IdgateError) return e;
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  if (/Code: 164|readonly/i.test(msg)) {
    return new InfrastructureError('IDGATE_SCAN_READONLY_REFUSED', `${API}: ${where} refused a query in readonly mode (${msg})`, "the user's profile may already be readonly=1, which forbids setting limits: ask for a profile with readonly=2, or none");
  }
  if (/Code: (60|47|81|16)\b/.test(msg)) {
    return new UsageError('IDGATE_SCAN_TABLE', `${API}: ${where}: ${msg}`, 'check --table <db.table>, --id-column and --owner-column against the table');
  }
  return new InfrastructureError('IDGATE_SCAN_CLICKHOUSE', `${API}: ${where}: ClickHouse failed (${msg})`, 'check that ClickHouse is reachable and the URL is right, then run the scan again', { cause: e });
}

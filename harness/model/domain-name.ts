/**
 * A domain of IDs (`user`, `run`, `ws_conn`, …): snake_case, 1–64 characters, starting with a
 * letter. Projects add their own domains beyond {@link DEFAULT_DOMAIN_NAMES}.
 */
export type DomainName = string;

/** The 15 domains every default catalog knows, in DESIGN.md's order. */
export const DEFAULT_DOMAIN_NAMES = [
  'user',
  'session',
  'thread',
  'run',
  'request',
  'ws_conn',
  'ws_client',
  'agent_exec',
  'tool_exec',
  'message',
  'audit',
  'redis_client',
  'clickhouse_client',
  'transaction',
  'error',
] as const satisfies readonly DomainName[];

const DOMAIN_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** True when `name` is a valid domain name (snake_case, starts with a letter, ≤ 64 chars). */
export function isDomainName(name: unknown): name is DomainName {
  return typeof name === 'string' && DOMAIN_NAME.test(name);
}

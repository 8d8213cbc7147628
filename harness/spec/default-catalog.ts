import type { DomainName } from '../model/index.js';
import { compileCatalog, type CatalogDefinition, type DomainCatalog } from './domain-catalog.js';
import { defineDomain } from './domain-spec.js';
import { counter, literal, opSlug, parent, random, timestampMs, userTag, type Field } from './field.js';

/** `<domain>_<fields…>_<24 hex = 96 random bits>`: the prefix is the domain name itself. */
function d(domain: DomainName, description: string, ...middle: Field[]) {
  return defineDomain(domain, [literal(domain), ...middle, random()], { description });
}

/**
 * The 15 domains of DESIGN.md as idgate expects a sound ID system to shape them: the domain name
 * as prefix, `_` between fields, 96 random bits (24 lower-case hex) last. Thread IDs carry an
 * operation slug that may itself hold `_`; runs embed their thread and requests their run, each
 * parsed by the parent's own spec; sessions, WebSocket, agent and message IDs carry a 20-hex user
 * tag. ws_client and ws_conn IDs are minted in pairs.
 */
export const DEFAULT_CATALOG: CatalogDefinition = {
  domains: [
    d('user', 'a user account'),
    d('session', 'a login session of one user', userTag()),
    d('thread', 'a conversation thread started for an operation', opSlug()),
    d('run', 'one run inside a thread; names its thread', parent('thread')),
    d('request', 'one request inside a run; names its run', parent('run')),
    d('ws_conn', 'a WebSocket connection of one user', userTag()),
    d('ws_client', 'the client end of a WebSocket connection of one user', userTag()),
    d('agent_exec', 'one agent execution on behalf of one user', userTag()),
    d('tool_exec', 'one tool execution'),
    d('message', "one message; seq counts the user's messages", userTag(), counter({ scope: 'user' })),
    d('audit', 'one audit-log entry', timestampMs()),
    d('redis_client', 'one Redis client connection'),
    d('clickhouse_client', 'one ClickHouse client connection'),
    d('transaction', 'one transaction; seq counts per worker', timestampMs(), counter({ scope: 'worker' })),
    d('error', 'one reported error', timestampMs()),
  ],
  pairs: [{ a: 'ws_client', b: 'ws_conn' }],
};

let compiled: DomainCatalog | undefined;

/** {@link DEFAULT_CATALOG}, compiled once. */
export function defaultCatalog(): DomainCatalog {
  compiled ??= compileCatalog(DEFAULT_CATALOG);
  return compiled;
}

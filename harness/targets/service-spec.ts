import { UsageError } from '../model/index.js';

/** One request of the golden path over the WebSocket and the event that answers it. */
export interface ServiceStep {
  /**
   * The JSON message sent. String values are templates: `{op}`, `{text}`, `{token}` and
   * `{<domain>}` (the user's latest ID of that domain, e.g. `{thread}`) are replaced.
   */
  readonly send: Readonly<Record<string, unknown>>;
  /** The event type (at {@link ServiceSpec.typePath}) that answers it. */
  readonly reply: string;
  /** Where IDs appear in the reply: a JSON path (`$.a.b[0]`) per domain. */
  readonly ids: Readonly<Record<string, string>>;
}

/** Where the service keeps each user's state in Redis, for the cleanup checks. */
export interface ServiceStateSpec {
  /** The service's Redis (loopback or the configured host). Required. */
  readonly redisUrl: string;
  /** SCAN MATCH pattern of the service's whole key space, e.g. `chat:*`. Required. */
  readonly match: string;
  /**
   * Key templates naming one ID each: a Redis glob with one `{<domain>}`, e.g.
   * `chat:user:*:conn:{ws_conn}`. Every key matching one belongs to the owner of that ID.
   */
  readonly keys: readonly string[];
}

/** Bounds on every wait of the golden path, in milliseconds. */
export interface ServiceTimeouts {
  /** One step: an HTTP answer, a socket opening, an event answering a request. Default 5 000. */
  readonly stepMs?: number;
  /** A user's state to disappear after disconnect. Default 3 000. */
  readonly cleanupMs?: number;
}

/**
 * A running service's golden path: login over HTTP, open a WebSocket, create a thread, start a
 * run, send messages, receive events, disconnect — and where IDs appear along the way.
 */
export interface ServiceSpec {
  /** Base URL, `http://host:port` (the WebSocket URL is derived: `ws://host:port`). Required. */
  readonly url: string;
  /** `POST <path>` with `{ [userField]: user }`; IDs and the token read from the JSON answer. */
  readonly login: { readonly path: string; readonly userField: string; readonly token: string; readonly ids: Readonly<Record<string, string>> };
  /** The WebSocket: path, query templates, and the event the service greets with (and its IDs). */
  readonly socket: { readonly path: string; readonly query: Readonly<Record<string, string>>; readonly ready: string; readonly ids: Readonly<Record<string, string>> };
  /** JSON path of an event's type. Default `$.type`. */
  readonly typePath?: string;
  readonly createThread: ServiceStep;
  readonly startRun: ServiceStep;
  readonly sendMessage: ServiceStep;
  /** IDs in events the service pushes, per event type: every one must be the recipient's own. */
  readonly events: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Each ID of `domain` a user sends must come back to that user in an event of type `event`. */
  readonly delivery?: { readonly event: string; readonly domain: string };
  /** Messages each user sends. Default 5. */
  readonly messages?: number;
  /**
   * Users start evenly spread over this many ms (as a k6 ramp-up stage) instead of all at the
   * same instant; their paths still overlap, and each path's latency is timed from its own start.
   * Default 0 (all at once).
   */
  readonly rampMs?: number;
  /** The service's Redis state; absent: cleanup is not checked (and the report says so). */
  readonly state?: ServiceStateSpec;
  readonly timeouts?: ServiceTimeouts;
}

/** The golden path of the fixture service (fixtures/service), the default for `--service <url>`. */
export const DEFAULT_SERVICE_PATH: Omit<ServiceSpec, 'url'> = {
  login: { path: '/login', userField: 'user', token: '$.token', ids: { session: '$.sessionId' } },
  socket: { path: '/ws', query: { session: '{session}', token: '{token}' }, ready: 'connected', ids: { ws_conn: '$.connectionId' } },
  createThread: { send: { type: 'create_thread', op: '{op}' }, reply: 'thread', ids: { thread: '$.threadId' } },
  startRun: { send: { type: 'start_run', threadId: '{thread}' }, reply: 'run', ids: { run: '$.runId' } },
  sendMessage: { send: { type: 'send', runId: '{run}', text: '{text}' }, reply: 'sent', ids: { message: '$.messageId' } },
  events: { message: { message: '$.messageId', run: '$.runId', thread: '$.threadId' } },
  delivery: { event: 'message', domain: 'message' },
  messages: 5,
};

/**
 * Declares a service's golden path with full type checking (the default export of a
 * `--service <file>` module); fields left out take {@link DEFAULT_SERVICE_PATH}'s.
 */
export function defineService(spec: Partial<ServiceSpec> & { readonly url: string }): ServiceSpec {
  return { ...DEFAULT_SERVICE_PATH, ...spec };
}

/**
 * Checks a service spec before any traffic: an http(s) URL, whole positive counts and timeouts,
 * key templates with exactly one `{domain}`. Throws {@link UsageError} naming the field and the fix.
 */
export function validateServiceSpec(spec: ServiceSpec, api = 'idgate golden --service'): ServiceSpec {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    throw new UsageError('IDGATE_SERVICE_URL', `${api}: ${JSON.stringify(spec.url)} is not a URL`, 'write http://127.0.0.1:8080 (the base URL of the service)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError('IDGATE_SERVICE_URL', `${api}: ${JSON.stringify(spec.url)} is not http(s)`, 'write http://host:port; the WebSocket URL is derived from it');
  }
  const positive = (name: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new UsageError('IDGATE_SERVICE_SPEC', `${api}: ${name} must be a whole number > 0, got ${String(v)}`, `fix ${name} in the service spec`);
  };
  positive('messages', spec.messages);
  positive('timeouts.stepMs', spec.timeouts?.stepMs);
  positive('timeouts.cleanupMs', spec.timeouts?.cleanupMs);
  if (spec.rampMs !== undefined && !(Number.isInteger(spec.rampMs) && spec.rampMs >= 0)) throw new UsageError('IDGATE_SERVICE_SPEC', `${api}: rampMs must be a whole number ≥ 0, got ${String(spec.rampMs)}`, 'fix rampMs in the service spec (0: every user at once)');
  for (const t of spec.state?.keys ?? []) {
    if ((t.match(/\{[a-z][a-z0-9_]*\}/g) ?? []).length !== 1) {
      throw new UsageError('IDGATE_SERVICE_SPEC', `${api}: state key template ${JSON.stringify(t)} must name exactly one {domain}`, "write e.g. 'chat:user:*:conn:{ws_conn}'");
    }
  }
  return spec;
}

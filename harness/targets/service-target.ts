import type { Finding } from '../model/index.js';
import { boundedWait, describeError } from './bounded-wait.js';
import { readJsonPath } from './service-json-path.js';
import type { DisconnectWindow, SeenId, ServiceObservations, StepFailure, UserPath } from './service-observations.js';
import { ServiceSocket, type SocketClose } from './service-socket.js';
import { validateServiceSpec, type ServiceSpec, type ServiceStep } from './service-spec.js';
import { ServiceState } from './service-state.js';
import type { TargetOutcome } from './started-target.js';
import { targetFailure } from './target-failure.js';

/**
 * A running service as a target: its golden path (login over HTTP, a WebSocket, thread, run,
 * messages, events, disconnect) as {@link ServiceSpec} describes it. `start()` checks the
 * service answers and connects to its Redis; the started target drives simulated users.
 */
export class ServiceTarget {
  readonly spec: ServiceSpec;

  constructor(spec: ServiceSpec) {
    this.spec = validateServiceSpec(spec);
  }

  /** Checks the service answers HTTP within the step timeout; a silent or refusing service is a `target-failure`. */
  async start(): Promise<TargetOutcome<StartedServiceTarget>> {
    const stepMs = this.spec.timeouts?.stepMs ?? 5000;
    const name = `service ${this.spec.url}`;
    const probe = await boundedWait(async () => {
      const r = await fetch(new URL(this.spec.login.path, this.spec.url), { method: 'GET', signal: AbortSignal.timeout(stepMs) });
      await r.arrayBuffer();
      return r.status;
    }, stepMs + 500);
    if (probe.kind !== 'value') {
      const hang = probe.kind === 'timeout' || (probe.error instanceof Error && probe.error.name === 'TimeoutError');
      const what = hang ? `did not answer HTTP within ${stepMs} ms` : `could not be reached (${describeError(probe.kind === 'error' ? probe.error : undefined)})`;
      return { ok: false, finding: targetFailure({ target: name, rule: hang ? 'hang' : 'crash', what, evidence: { url: this.spec.url } }) };
    }
    let state: ServiceState | undefined;
    if (this.spec.state !== undefined) {
      try {
        state = await ServiceState.connect(this.spec.state, stepMs);
      } catch (e) {
        return { ok: false, finding: targetFailure({ target: name, rule: 'error', what: `has a Redis idgate cannot reach (${describeError(e)}); check state.redisUrl`, evidence: { url: this.spec.url } }) };
      }
    }
    return { ok: true, value: new StartedServiceTarget(name, this.spec, state) };
  }
}

/** A service that answered: drives users through its golden path; {@link stop} releases the Redis view. */
export class StartedServiceTarget {
  readonly name: string;
  readonly #spec: ServiceSpec;
  readonly #state: ServiceState | undefined;
  readonly #stepMs: number;
  readonly #cleanupMs: number;
  readonly #ownerOf = new Map<string, number>();
  readonly #idsOf = new Map<number, { domain: string; id: string }[]>();
  readonly #ids: SeenId[] = [];
  readonly #windows: DisconnectWindow[] = [];
  #disconnects: Promise<unknown> = Promise.resolve();
  #stateError: string | undefined;

  /** @internal Use {@link ServiceTarget.start}. */
  constructor(name: string, spec: ServiceSpec, state: ServiceState | undefined) {
    this.name = name;
    this.#spec = spec;
    this.#state = state;
    this.#stepMs = spec.timeouts?.stepMs ?? 5000;
    this.#cleanupMs = spec.timeouts?.cleanupMs ?? 3000;
  }

  /**
   * Every user (owner i is `users[i]`) through the golden path at once, each with its own HTTP
   * requests and WebSocket; disconnects run one at a time so the service's Redis shows whose
   * cleanup removed what. Never rejects for faults of the service: they are in the observations.
   */
  async drive(users: readonly string[], ops: readonly string[] = ['chat']): Promise<ServiceObservations> {
    const paths = await Promise.all(users.map((u, i) => this.#user(i, u, ops[i % ops.length] ?? 'chat')));
    await this.#disconnects;
    return {
      service: this.name,
      users: paths,
      ids: this.#ids,
      windows: this.#windows,
      skipped: [
        ...(this.#state === undefined ? ['state: no Redis was configured for the service (state.redisUrl), so cleanup was not checked'] : []),
        ...(this.#stateError === undefined ? [] : [`state: the service's Redis failed during the disconnects (${this.#stateError}), so cleanup was checked only in part`]),
      ],
    };
  }

  #see(owner: number, domain: string, id: string, step: string, refs: Readonly<Record<string, string>>): void {
    this.#ids.push({ domain, id, owner, step, refs });
    if (!this.#ownerOf.has(id)) this.#ownerOf.set(id, owner);
    const mine = this.#idsOf.get(owner) ?? [];
    mine.push({ domain, id });
    this.#idsOf.set(owner, mine);
  }

  async #user(owner: number, user: string, op: string): Promise<UserPath> {
    const spec = this.#spec;
    const t0 = performance.now();
    const latest = new Map<string, string>();
    const sent: string[] = [];
    const fill = (v: unknown, extra: Readonly<Record<string, string>>): unknown => (typeof v === 'string' ? v.replace(/\{([a-z][a-z0-9_]*)\}/g, (all, k: string) => extra[k] ?? latest.get(k) ?? all) : v);
    const read = (step: string, data: unknown, paths: Readonly<Record<string, string>>, refs: Readonly<Record<string, string>>): StepFailure | undefined => {
      for (const [domain, path] of Object.entries(paths)) {
        const id = readJsonPath(data, path);
        if (typeof id !== 'string' || id.length === 0) return { step, rule: 'bad-answer', what: `the answer has no ${domain} ID at ${path}: ${JSON.stringify(data).slice(0, 200)}` };
        latest.set(domain, id);
        this.#see(owner, domain, id, step, refs);
      }
      return undefined;
    };

    // Login over HTTP.
    const login = await boundedWait(async () => {
      const r = await fetch(new URL(spec.login.path, spec.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ [spec.login.userField]: user }), signal: AbortSignal.timeout(this.#stepMs) });
      return { status: r.status, text: await r.text() };
    }, this.#stepMs + 500);
    if (login.kind !== 'value') {
      const hang = login.kind === 'timeout' || (login.kind === 'error' && login.error instanceof Error && login.error.name === 'TimeoutError');
      return { owner, events: [], sent, failure: { step: 'login', rule: hang ? 'hang' : 'error', what: hang ? `no answer within ${this.#stepMs} ms` : describeError(login.kind === 'error' ? login.error : undefined) } };
    }
    if (login.value.status < 200 || login.value.status > 299) return { owner, events: [], sent, failure: { step: 'login', rule: 'error', what: `HTTP ${login.value.status}: ${login.value.text.slice(0, 200)}` } };
    let body: unknown;
    try {
      body = JSON.parse(login.value.text);
    } catch {
      return { owner, events: [], sent, failure: { step: 'login', rule: 'bad-answer', what: `not JSON: ${login.value.text.slice(0, 200)}` } };
    }
    const bad = read('login', body, spec.login.ids, {});
    if (bad !== undefined) return { owner, events: [], sent, failure: bad };
    const token = readJsonPath(body, spec.login.token);
    const extra = { op, token: typeof token === 'string' ? token : '', text: '' };

    // The WebSocket.
    const wsUrl = new URL(spec.socket.path, spec.url);
    wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
    for (const [k, v] of Object.entries(spec.socket.query)) wsUrl.searchParams.set(k, String(fill(v, extra)));
    const opened = await ServiceSocket.open(wsUrl.href, spec.typePath ?? '$.type', this.#stepMs);
    if (!(opened instanceof ServiceSocket)) return { owner, events: [], sent, failure: { step: 'socket', rule: opened.error.includes('within') ? 'hang' : 'error', what: opened.error } };
    const socket = opened;
    const finish = async (failure: StepFailure | undefined, pathMs?: number): Promise<UserPath> => {
      const close = await this.#disconnect(owner, socket);
      return { owner, events: socket.events, sent, ...(failure === undefined ? {} : { failure }), close, ...(pathMs === undefined ? {} : { pathMs }) };
    };
    const await_ = async (step: string, type: string, ids: Readonly<Record<string, string>>, refs: Readonly<Record<string, string>>): Promise<StepFailure | undefined> => {
      const got = await socket.next(type, this.#stepMs);
      if ('kind' in got) {
        if (got.kind === 'closed') return { step, rule: 'closed', what: `the service closed the socket with ${got.close.code}${got.close.reason === '' ? '' : ` (${got.close.reason})`}`, close: got.close };
        return { step, rule: 'hang', what: `no ${type} event within ${this.#stepMs} ms` };
      }
      return read(step, got.data, ids, refs);
    };
    const ready = await await_('socket', spec.socket.ready, spec.socket.ids, {});
    if (ready !== undefined) return finish(ready);
    const steps: [string, ServiceStep][] = [['createThread', spec.createThread], ['startRun', spec.startRun]];
    for (let m = 0; m < (spec.messages ?? 5); m++) steps.push([`sendMessage#${m + 1}`, spec.sendMessage]);
    for (const [name, step] of steps) {
      const refs: Record<string, string> = {};
      const message: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(step.send)) {
        message[k] = fill(v, { ...extra, text: `${name} of user ${owner}` });
        const ref = typeof v === 'string' ? /^\{([a-z][a-z0-9_]*)\}$/.exec(v)?.[1] : undefined;
        if (ref !== undefined && latest.has(ref)) refs[ref] = latest.get(ref)!;
      }
      socket.send(message);
      const failed = await await_(name, step.reply, step.ids, refs);
      if (failed !== undefined) return finish(failed);
      const d = spec.delivery;
      if (d !== undefined && step === spec.sendMessage && step.ids[d.domain] !== undefined) sent.push(latest.get(d.domain)!);
    }
    // Every message sent comes back to its sender.
    const d = spec.delivery;
    if (d !== undefined && sent.length > 0) {
      const path = spec.events[d.event]?.[d.domain];
      const want = new Set(sent);
      const got = await socket.waitUntil(() => {
        for (const e of socket.events) if (e.type === d.event && path !== undefined) want.delete(String(readJsonPath(e.data, path)));
        return want.size === 0;
      }, this.#stepMs);
      if (got === 'closed' && socket.closed !== undefined) return finish({ step: 'delivery', rule: 'closed', what: `the service closed the socket with ${socket.closed.code}${socket.closed.reason === '' ? '' : ` (${socket.closed.reason})`}`, close: socket.closed });
      // A missing delivery is judged by the checks (the events are kept), not a failure of the path.
    }
    return finish(undefined, performance.now() - t0);
  }

  /** One disconnect at a time: SCAN, close, wait for the user's keys to go, SCAN again. */
  #disconnect(owner: number, socket: ServiceSocket): Promise<SocketClose> {
    const run = async (): Promise<SocketClose> => {
      const state = this.#state;
      if (state === undefined) return socket.close(this.#stepMs);
      const start = performance.now();
      const before = await state.scan();
      const close = await socket.close(this.#stepMs);
      let after = before;
      const deadline = performance.now() + this.#cleanupMs;
      for (;;) {
        after = await state.scan();
        if (!after.some((k) => this.#ownerOf.get(k.id) === owner) || performance.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const afterKeys = new Set(after.map((k) => k.key));
      const beforeIds = new Set(before.map((k) => k.id));
      const templated = new Set(state.domains);
      this.#windows.push({
        owner,
        start,
        end: performance.now(),
        removedOthers: before.flatMap((k) => {
          const o = this.#ownerOf.get(k.id);
          return o !== undefined && o !== owner && !afterKeys.has(k.key) ? [{ ...k, owner: o }] : [];
        }),
        leftBehind: after.filter((k) => this.#ownerOf.get(k.id) === owner),
        missingBefore: (this.#idsOf.get(owner) ?? []).filter((x) => templated.has(x.domain) && !beforeIds.has(x.id)),
      });
      return close;
    };
    const guarded = async (): Promise<SocketClose> => {
      try {
        return await run();
      } catch (e) {
        // The service's Redis failed under us: the state check stops, the users still disconnect.
        this.#stateError ??= describeError(e);
        return socket.close(this.#stepMs);
      }
    };
    const p = this.#disconnects.then(guarded);
    this.#disconnects = p.catch(() => undefined);
    return p;
  }

  /** Releases the Redis connection; the service itself is not idgate's to stop. */
  stop(): { readonly name: string; readonly findings: readonly Finding[] } {
    this.#state?.close();
    return { name: this.name, findings: [] };
  }
}

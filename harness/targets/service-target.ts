import type { Finding } from '../model/index.js';
import { boundedWait, describeError } from './bounded-wait.js';
import { readJsonPath } from './service-json-path.js';
import type { DisconnectWindow, SeenId, ServiceObservations, StepFailure, StepTiming, UserPath } from './service-observations.js';
import { ServiceSocket, type SocketClose } from './service-socket.js';
import { validateServiceSpec, type ServiceSpec, type ServiceStep } from './service-spec.js';
import { ServiceState, type StateKeyRef } from './service-state.js';
import type { TargetOutcome } from './started-target.js';
import { targetFailure } from './target-failure.js';

/** How long a window waits for more of a user's keys to go after the last one went (or the close), ms. */
const SETTLE_MS = 150;

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
  /** IDs given to more than one user (a multi-owner finding): their keys are nobody's alone, so cleanup windows leave them out. */
  readonly #shared = new Set<string>();
  /** Users whose disconnect window has run. */
  readonly #disconnected = new Set<number>();
  readonly #idsOf = new Map<number, { domain: string; id: string }[]>();
  readonly #ids: SeenId[] = [];
  readonly #windows: DisconnectWindow[] = [];
  #disconnects: Promise<unknown> = Promise.resolve();
  /** Users in the run, and those whose path is over (waiting to disconnect, or done). */
  #users = 0;
  readonly #pathDone = new Set<number>();
  /** The last window's closing SCAN and whether every path was over when it was taken. */
  #lastScan: { readonly keys: StateKeyRef[]; readonly quiet: boolean } | undefined;
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
    this.#users = users.length;
    const paths = await Promise.all(
      users.map(async (u, i) => {
        const ramp = this.#spec.rampMs ?? 0;
        if (ramp > 0) await new Promise((r) => setTimeout(r, (i * ramp) / users.length));
        try {
          return await this.#user(i, u, ops[i % ops.length] ?? 'chat');
        } finally {
          this.#pathDone.add(i);
        }
      }),
    );
    await this.#disconnects;
    const stillThere = await this.#recheckLeftBehind();
    return {
      service: this.name,
      users: paths,
      ids: this.#ids,
      // Keys named by an ID two users were given are nobody's alone (the ledger reports the
      // ID as multi-owner); only now is it known which IDs those are.
      windows: this.#windows.map((w) => {
        const own = (k: { readonly id: string }) => !this.#shared.has(k.id);
        return { ...w, removedOthers: w.removedOthers.filter(own), leftBehind: w.leftBehind.filter((k) => own(k) && stillThere.has(k.key)), missingBefore: w.missingBefore.filter(own) };
      }),
      skipped: [
        ...(this.#state === undefined ? ['state: no Redis was configured for the service (state.redisUrl), so cleanup was not checked'] : []),
        ...(this.#stateError === undefined ? [] : [`state: the service's Redis failed during the disconnects (${this.#stateError}), so cleanup was checked only in part`]),
      ],
    };
  }

  /**
   * The keys windows left behind that are still there `cleanupMs` after the last disconnect: a
   * window stops waiting once the key space settles, so a slow cleanup gets this second look
   * instead of stalling every later disconnect.
   */
  async #recheckLeftBehind(): Promise<Set<string>> {
    const candidates = this.#windows.flatMap((w) => w.leftBehind);
    const last = this.#windows.at(-1);
    if (this.#state === undefined || candidates.length === 0 || last === undefined) return new Set();
    const wait = last.end + this.#cleanupMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    try {
      const present = new Set((await this.#state.scan()).map((k) => k.key));
      return new Set(candidates.filter((k) => present.has(k.key)).map((k) => k.key));
    } catch (e) {
      this.#stateError ??= describeError(e);
      return new Set(candidates.map((k) => k.key));
    }
  }

  #see(owner: number, domain: string, id: string, step: string, refs: Readonly<Record<string, string>>): void {
    this.#ids.push({ domain, id, owner, step, refs });
    const first = this.#ownerOf.get(id);
    if (first === undefined) this.#ownerOf.set(id, owner);
    else if (first !== owner) this.#shared.add(id);
    const mine = this.#idsOf.get(owner) ?? [];
    mine.push({ domain, id });
    this.#idsOf.set(owner, mine);
  }

  async #user(owner: number, user: string, op: string): Promise<UserPath> {
    const spec = this.#spec;
    const t0 = performance.now();
    const latest = new Map<string, string>();
    const sent: string[] = [];
    const steps: StepTiming[] = [];
    let mark = t0;
    /** Records the step that just succeeded (failed steps are findings, not latencies). */
    const done = (step: string) => {
      const now = performance.now();
      steps.push({ step, ms: now - mark });
      mark = now;
    };
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
      return { owner, events: [], sent, steps, failure: { step: 'login', rule: hang ? 'hang' : 'error', what: hang ? `no answer within ${this.#stepMs} ms` : describeError(login.kind === 'error' ? login.error : undefined) } };
    }
    if (login.value.status < 200 || login.value.status > 299) return { owner, events: [], sent, steps, failure: { step: 'login', rule: 'error', what: `HTTP ${login.value.status}: ${login.value.text.slice(0, 200)}` } };
    let body: unknown;
    try {
      body = JSON.parse(login.value.text);
    } catch {
      return { owner, events: [], sent, steps, failure: { step: 'login', rule: 'bad-answer', what: `not JSON: ${login.value.text.slice(0, 200)}` } };
    }
    const bad = read('login', body, spec.login.ids, {});
    if (bad !== undefined) return { owner, events: [], sent, steps, failure: bad };
    done('login');
    const token = readJsonPath(body, spec.login.token);
    const extra = { op, token: typeof token === 'string' ? token : '', text: '' };

    // The WebSocket.
    const wsUrl = new URL(spec.socket.path, spec.url);
    wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
    for (const [k, v] of Object.entries(spec.socket.query)) wsUrl.searchParams.set(k, String(fill(v, extra)));
    const opened = await ServiceSocket.open(wsUrl.href, spec.typePath ?? '$.type', this.#stepMs);
    if (!(opened instanceof ServiceSocket)) return { owner, events: [], sent, steps, failure: { step: 'socket', rule: opened.error.includes('within') ? 'hang' : 'error', what: opened.error } };
    const socket = opened;
    const finish = async (failure: StepFailure | undefined, pathMs?: number): Promise<UserPath> => {
      const close = await this.#disconnect(owner, socket, steps);
      return { owner, events: socket.events, sent, steps, ...(failure === undefined ? {} : { failure }), close, ...(pathMs === undefined ? {} : { pathMs }) };
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
    done('socket');
    const plan: [string, ServiceStep][] = [['createThread', spec.createThread], ['startRun', spec.startRun]];
    for (let m = 0; m < (spec.messages ?? 5); m++) plan.push([`sendMessage#${m + 1}`, spec.sendMessage]);
    for (const [name, step] of plan) {
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
      done(name.replace(/#\d+$/, ''));
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
      if (got === 'done') done('delivery');
    }
    return finish(undefined, performance.now() - t0);
  }

  /** One disconnect at a time: SCAN, close, wait for the user's keys to go (EXISTS), SCAN again. */
  #disconnect(owner: number, socket: ServiceSocket, steps: StepTiming[]): Promise<SocketClose> {
    this.#pathDone.add(owner);
    const closeTimed = async (): Promise<SocketClose> => {
      const t = performance.now();
      const close = await socket.close(this.#stepMs);
      if (close.byClient && close.code === 1000) steps.push({ step: 'disconnect', ms: performance.now() - t });
      return close;
    };
    const run = async (): Promise<SocketClose> => {
      const state = this.#state;
      if (state === undefined) return closeTimed();
      const start = performance.now();
      // While every path is over, only disconnects change the service's keys: the last window's
      // closing SCAN is still this one's opening view, which halves the SCANs of the tail.
      const before = this.#lastScan?.quiet === true ? this.#lastScan.keys : await state.scan();
      const close = await closeTimed();
      this.#disconnected.add(owner);
      const closed = performance.now();
      const deadline = closed + this.#cleanupMs;
      // Wait for the user's own keys to go, polling them with EXISTS (cheaper than a SCAN); stop
      // early once none has gone for SETTLE_MS (drive() looks at what stayed once more at the end).
      const mine = before.filter((k) => this.#ownerOf.get(k.id) === owner && !this.#shared.has(k.id)).map((k) => k.key);
      for (let left = mine.length, changed = closed; left > 0; ) {
        const now = performance.now();
        const n = await state.countExisting(mine);
        if (n < left) [left, changed] = [n, now];
        if (n === 0 || now > deadline || now - changed >= Math.min(SETTLE_MS, this.#cleanupMs)) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      const quiet = this.#pathDone.size === this.#users;
      const after = await state.scan();
      this.#lastScan = { keys: after, quiet };
      const afterKeys = new Set(after.map((k) => k.key));
      const beforeIds = new Set(before.map((k) => k.id));
      const templated = new Set(state.domains);
      this.#windows.push({
        owner,
        start,
        end: performance.now(),
        // Only users still connected: a key of a user who disconnected earlier going now is that
        // user's own (late) cleanup, which its own window judges.
        removedOthers: before.flatMap((k) => {
          const o = this.#ownerOf.get(k.id);
          return o !== undefined && o !== owner && !this.#disconnected.has(o) && !afterKeys.has(k.key) ? [{ ...k, owner: o }] : [];
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
        this.#lastScan = undefined;
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

import { WebSocket } from 'ws';
import { readJsonPath } from './service-json-path.js';

/** One event a user's socket received, parsed. */
export interface ReceivedEvent {
  readonly type: string;
  readonly data: unknown;
  /** ms since the golden path started (performance.now()). */
  readonly at: number;
}

/** How a socket ended: the close code and reason, and whether the client asked for it. */
export interface SocketClose {
  readonly code: number;
  readonly reason: string;
  readonly at: number;
  readonly byClient: boolean;
}

/** Why waiting for an event ended without one. */
export type SocketWaitFailure = { readonly kind: 'timeout' } | { readonly kind: 'closed'; readonly close: SocketClose } | { readonly kind: 'error'; readonly error: string };

/**
 * A well-kept WebSocket client of one simulated user: every event kept in arrival order (for
 * the isolation checks), requests answered by the next unconsumed event of a type, every wait
 * bounded, and a close that always ends (a clean close, else terminate). Opened with
 * {@link ServiceSocket.open}.
 */
export class ServiceSocket {
  /** Every event received, in order. */
  readonly events: ReceivedEvent[] = [];
  /** Set once the socket has closed. */
  closed: SocketClose | undefined;
  /** Messages that were not JSON, or had no type (a bounded count). */
  garbage = 0;
  readonly #ws: WebSocket;
  readonly #consumed = new Map<string, number>();
  readonly #wake = new Set<() => void>();
  #closing = false;

  private constructor(ws: WebSocket, typePath: string) {
    this.#ws = ws;
    ws.on('message', (raw) => {
      let data: unknown;
      try {
        data = JSON.parse(Array.isArray(raw) ? Buffer.concat(raw).toString('utf8') : Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.from(raw).toString('utf8'));
      } catch {
        this.garbage++;
        return;
      }
      const type = readJsonPath(data, typePath);
      if (typeof type !== 'string') this.garbage++;
      else this.events.push({ type, data, at: performance.now() });
      this.#notify();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString(), at: performance.now(), byClient: this.#closing };
      this.#notify();
    });
  }

  #notify(): void {
    for (const w of [...this.#wake]) w();
  }

  /** Opens `url` within `timeoutMs`; never rejects: a failure is returned as a string. */
  static open(url: string, typePath: string, timeoutMs: number): Promise<ServiceSocket | { readonly error: string }> {
    return new Promise((resolve) => {
      const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
      const socket = new ServiceSocket(ws, typePath);
      const timer = setTimeout(() => {
        ws.terminate();
        resolve({ error: `no WebSocket handshake within ${timeoutMs} ms` });
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(socket);
      });
      ws.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        ws.terminate();
        resolve({ error: `the upgrade was answered with HTTP ${res.statusCode ?? '?'}` });
      });
      ws.on('error', (e) => {
        clearTimeout(timer);
        resolve({ error: e.message });
      });
    });
  }

  /** Sends one JSON message (dropped once the socket is closed; the next wait reports it). */
  send(message: unknown): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(message));
  }

  /** The next unconsumed event of `type`, within `timeoutMs`. */
  async next(type: string, timeoutMs: number): Promise<ReceivedEvent | SocketWaitFailure> {
    let found: ReceivedEvent | undefined;
    const ok = await this.waitUntil(() => {
      const from = this.#consumed.get(type) ?? 0;
      for (let i = from; i < this.events.length; i++) {
        if (this.events[i]!.type === type) {
          this.#consumed.set(type, i + 1);
          found = this.events[i];
          return true;
        }
      }
      this.#consumed.set(type, this.events.length);
      return false;
    }, timeoutMs);
    if (found !== undefined) return found;
    return ok === 'closed' && this.closed !== undefined ? { kind: 'closed', close: this.closed } : { kind: 'timeout' };
  }

  /** Waits until `done()` holds (checked on every event), the socket closes, or `timeoutMs` passes. */
  waitUntil(done: () => boolean, timeoutMs: number): Promise<'done' | 'closed' | 'timeout'> {
    return new Promise((resolve) => {
      const check = () => {
        if (done()) finish('done');
        else if (this.closed !== undefined) finish('closed');
      };
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      const finish = (r: 'done' | 'closed' | 'timeout') => {
        clearTimeout(timer);
        this.#wake.delete(check);
        resolve(r);
      };
      this.#wake.add(check);
      check();
    });
  }

  /** Closes with 1000 and waits for the close within `timeoutMs`, else terminates. Never rejects. */
  async close(timeoutMs: number): Promise<SocketClose> {
    if (this.closed !== undefined) return this.closed;
    this.#closing = true;
    this.#ws.close(1000, 'done');
    if ((await this.waitUntil(() => false, timeoutMs)) !== 'closed') this.#ws.terminate();
    await this.waitUntil(() => false, 1000);
    return this.closed ?? { code: 1006, reason: 'terminated', at: performance.now(), byClient: true };
  }
}

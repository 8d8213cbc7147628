import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { UsageError } from '../model/index.js';
import { LineSplitter } from './line-splitter.js';
import { decodeHelloReply, decodeResponse, encodeHello, encodeRequest, excerpt, type HelloReply } from './protocol.js';
import { resolveTimeouts, type StartedTarget, type TargetOutcome, type TargetTimeouts } from './started-target.js';
import { targetFailure } from './target-failure.js';
import type { TargetRequest } from './target-request.js';
import { TargetSession } from './target-session.js';
import type { TargetTransport, TransportReply } from './target-transport.js';

/** Options of {@link SubprocessTarget}. */
export interface SubprocessTargetOptions {
  /** The executable, e.g. `python3` or `process.execPath`. */
  readonly command: string;
  /** Its arguments. Default `[]`. */
  readonly args?: readonly string[];
  /** Working directory. Default: idgate's. */
  readonly cwd?: string;
  /** Environment. Default: idgate's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Names the target in findings. Default: the name its hello line gives. */
  readonly name?: string;
  /** Sent in the hello line. Default 0. */
  readonly worker?: number;
  /** Sent in the hello line. Default `{}`. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Bounds on every wait. Defaults: see {@link TargetTimeouts}. */
  readonly timeouts?: TargetTimeouts;
  /** The longest answer line accepted, in bytes. Default 512 MiB. */
  readonly maxLineBytes?: number;
}

type Failure = Extract<TransportReply, { ok: false }>;
const STDERR_TAIL = 4096;

class ProcessTransport implements TargetTransport {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #splitter: LineSplitter;
  readonly #pending = new Map<number, { resolve: (r: TransportReply) => void; timer: NodeJS.Timeout }>();
  readonly #closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #hello: ((line: string | Failure) => void) | undefined;
  #dead: Failure | undefined;
  #stopping = false;
  #stderr = '';

  constructor(child: ChildProcessWithoutNullStreams, maxLineBytes: number | undefined) {
    this.#child = child;
    this.#splitter = new LineSplitter(maxLineBytes === undefined ? {} : { maxLineBytes });
    child.stdin.on('error', () => undefined); // EPIPE after a crash; the close event reports it
    child.stderr.on('data', (b: Buffer) => {
      this.#stderr = (this.#stderr + b.toString('utf8')).slice(-STDERR_TAIL);
    });
    child.stdout.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.#closed = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        resolve({ code, signal });
        if (!this.#stopping) {
          const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
          this.#die({ ok: false, rule: 'crash', what: how, evidence: this.#evidence({ exitCode: code, signal }), fatal: true });
        }
      });
    });
  }

  #evidence(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { pid: this.#child.pid, stderrTail: this.#stderr, ...extra };
  }

  #onData(chunk: Buffer): void {
    if (this.#dead) return;
    const lines = this.#splitter.push(chunk);
    if (lines === undefined) {
      this.#die({ ok: false, rule: 'garbage', what: `wrote a line longer than the limit (${this.#splitter.pendingBytes} bytes without a newline)`, evidence: this.#evidence(), fatal: true });
      return;
    }
    for (const buf of lines) {
      if (this.#dead) return;
      const line = buf.toString('utf8');
      if (this.#hello) {
        const h = this.#hello;
        this.#hello = undefined;
        h(line);
        continue;
      }
      const d = decodeResponse(line);
      const entry = d.ok ? this.#pending.get(d.message.id) : undefined;
      if (!d.ok || entry === undefined) {
        const why = d.ok ? `answered request #${d.message.id}, which is not pending: ${excerpt(line)}` : `wrote a line that is not the protocol (${d.reason})`;
        this.#die({ ok: false, rule: 'garbage', what: why, evidence: this.#evidence({ line: excerpt(line) }), fatal: true });
        return;
      }
      this.#pending.delete(d.message.id);
      clearTimeout(entry.timer);
      const m = d.message;
      entry.resolve(m.ok ? { ok: true, value: m.result } : { ok: false, rule: 'error', what: `answered an error: ${m.error}`, fatal: false });
    }
  }

  /** Marks the process unusable, kills it and fails every waiting request with `failure`. */
  #die(failure: Failure): void {
    if (this.#dead) return;
    this.#dead = failure;
    this.#child.kill('SIGKILL');
    if (this.#hello) {
      const h = this.#hello;
      this.#hello = undefined;
      h(failure);
    }
    for (const [, entry] of this.#pending) {
      clearTimeout(entry.timer);
      entry.resolve(failure);
    }
    this.#pending.clear();
  }

  /** Sends the hello line and waits for the target's; a failure names what went wrong. */
  handshake(worker: number, options: Readonly<Record<string, unknown>>, timeoutMs: number): Promise<HelloReply | Failure> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#die({ ok: false, rule: 'hang', what: `sent no hello line within ${timeoutMs} ms`, evidence: this.#evidence({ timeoutMs }), fatal: true });
      }, timeoutMs);
      this.#hello = (line) => {
        clearTimeout(timer);
        if (typeof line !== 'string') return resolve(line);
        const d = decodeHelloReply(line);
        if (d.ok) return resolve(d.message);
        const failure: Failure = { ok: false, rule: 'handshake', what: `failed the handshake: ${d.reason}`, evidence: this.#evidence(), fatal: true };
        this.#die(failure);
        resolve(failure);
      };
      if (this.#dead) this.#hello(this.#dead);
      else this.#child.stdin.write(encodeHello(worker, options));
    });
  }

  request(id: number, request: TargetRequest, timeoutMs: number): Promise<TransportReply> {
    if (this.#dead) return Promise.resolve(this.#dead);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve({ ok: false, rule: 'hang', what: `did not answer within ${timeoutMs} ms`, evidence: this.#evidence({ timeoutMs }), fatal: true });
        this.#die({ ok: false, rule: 'hang', what: `was killed because request #${id} got no answer within ${timeoutMs} ms`, evidence: this.#evidence(), fatal: true });
      }, timeoutMs);
      this.#pending.set(id, { resolve, timer });
      this.#child.stdin.write(encodeRequest(id, request));
    });
  }

  async stop(timeoutMs: number): Promise<TransportReply> {
    if (this.#dead) {
      await this.#closed;
      return { ok: true, value: undefined };
    }
    this.#stopping = true;
    this.#child.stdin.end();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const done = await Promise.race([this.#closed, timeout]);
    clearTimeout(timer);
    if (done === 'timeout') {
      this.#child.kill('SIGKILL');
      await this.#closed;
      return { ok: false, rule: 'hang', what: `did not exit within ${timeoutMs} ms of its stdin closing, and was killed`, evidence: this.#evidence(), fatal: true };
    }
    if (done.code !== 0) {
      const how = done.signal !== null ? `was killed by ${done.signal}` : `exited with code ${done.code}`;
      return { ok: false, rule: 'crash', what: `${how} when stopped`, evidence: this.#evidence({ exitCode: done.code, signal: done.signal }), fatal: true };
    }
    return { ok: true, value: undefined };
  }
}

/**
 * A target in a child process speaking the JSON-lines protocol over stdin/stdout
 * (docs/protocol.md). `start()` spawns it and performs the version handshake; the
 * {@link StartedTarget} it returns pipelines requests and matches answers by id. A process that
 * exits, hangs past a timeout, writes a line that is not the protocol, or answers the wrong
 * count yields a `target-failure` finding naming the target and the request; after a crash, hang
 * or garbage the process is killed. A command that cannot be spawned is a `UsageError`.
 */
export class SubprocessTarget {
  readonly #options: SubprocessTargetOptions;

  constructor(options: SubprocessTargetOptions) {
    if (typeof options.command !== 'string' || options.command.length === 0) {
      throw new UsageError('IDGATE_TARGET_COMMAND', 'new SubprocessTarget: `command` is empty', 'give the executable to run, e.g. "python3"');
    }
    this.#options = options;
  }

  /** Spawns the process and performs the handshake, bounded by `timeouts.startMs`. */
  async start(): Promise<TargetOutcome<StartedTarget>> {
    const o = this.#options;
    const t = resolveTimeouts(o.timeouts);
    const label = o.name ?? [o.command, ...(o.args ?? [])].join(' ');
    const child = spawn(o.command, [...(o.args ?? [])], { cwd: o.cwd, env: o.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', (e) => resolve(e));
    });
    if (spawned) {
      throw new UsageError('IDGATE_TARGET_COMMAND', `SubprocessTarget.start: cannot run ${JSON.stringify(label)}: ${spawned.message}`, 'check the command and its path, and that it is executable', { cause: spawned });
    }
    const transport = new ProcessTransport(child, o.maxLineBytes);
    const hello = await transport.handshake(o.worker ?? 0, o.options ?? {}, t.startMs);
    if ('ok' in hello) {
      return { ok: false, finding: targetFailure({ target: label, rule: hello.rule, what: hello.what, ...(hello.evidence ? { evidence: hello.evidence } : {}) }) };
    }
    const caps = new Set(hello.capabilities);
    return {
      ok: true,
      value: new TargetSession({
        name: o.name ?? hello.name,
        capabilities: { validate: caps.has('validate'), parse: caps.has('parse'), cleanupPatterns: caps.has('cleanupPatterns') },
        extractionRules: hello.extractionRules,
        transport,
        requestMs: t.requestMs,
        stopMs: t.stopMs,
      }),
    };
  }
}

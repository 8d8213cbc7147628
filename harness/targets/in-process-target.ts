import { isAbsolute, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../model/index.js';
import { boundedWait, describeError } from './bounded-wait.js';
import { resolveTimeouts, type StartedTarget, type TargetOutcome, type TargetTimeouts } from './started-target.js';
import type { Target, TargetFactory } from './target.js';
import { targetFailure } from './target-failure.js';
import type { TargetRequest } from './target-request.js';
import { TargetSession } from './target-session.js';
import type { TargetTransport, TransportReply } from './target-transport.js';

/** Options of {@link InProcessTarget}. */
export interface InProcessTargetOptions {
  /**
   * A module path (relative to the working directory) or URL exporting a {@link TargetFactory};
   * or the factory itself.
   */
  readonly module: string | TargetFactory;
  /** The export holding the factory. Default `createTarget`, then the default export. */
  readonly exportName?: string;
  /** Passed to the factory. Default 0. */
  readonly worker?: number;
  /** Passed to the factory. Default `{}`. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Default: the target's own `name`. */
  readonly name?: string;
  /** Bounds on every wait. Defaults: see {@link TargetTimeouts}. */
  readonly timeouts?: TargetTimeouts;
}

async function loadFactory(module: string, exportName: string | undefined): Promise<TargetFactory> {
  const url = /^[a-z]+:/i.test(module) && !isAbsolute(module) ? module : pathToFileURL(resolvePath(module)).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError('IDGATE_TARGET_MODULE', `InProcessTarget.start: cannot import ${JSON.stringify(module)}: ${describeError(error)}`, 'check the target module path and that it loads on its own with node', { cause: error });
  }
  const factory = exportName === undefined ? (mod.createTarget ?? mod.default) : mod[exportName];
  if (typeof factory !== 'function') {
    throw new UsageError('IDGATE_TARGET_MODULE', `InProcessTarget.start: ${JSON.stringify(module)} exports no target factory as ${exportName ?? '`createTarget` or default'}`, 'export a function (options) => Target from the module');
  }
  return factory as TargetFactory;
}

class InProcessTransport implements TargetTransport {
  constructor(private readonly target: Target) {}

  async request(_id: number, request: TargetRequest, timeoutMs: number): Promise<TransportReply> {
    const t = this.target;
    const r = await boundedWait(() => {
      switch (request.call) {
        case 'generate':
          return t.generate(request.domain, request.context, request.count);
        case 'userContext':
          return t.userContext(request.user, request.op);
        case 'validate':
          return t.validate!(request.domain, request.ids);
        case 'parse':
          return t.parse!(request.domain, request.ids);
        case 'cleanupPatterns':
          return t.cleanupPatterns!(request.user);
      }
    }, timeoutMs);
    if (r.kind === 'value') return { ok: true, value: r.value };
    if (r.kind === 'timeout') return { ok: false, rule: 'hang', what: `did not answer within ${timeoutMs} ms`, evidence: { timeoutMs }, fatal: true };
    return { ok: false, rule: 'error', what: `threw ${describeError(r.error)}`, fatal: false };
  }

  async stop(timeoutMs: number): Promise<TransportReply> {
    const r = await boundedWait(() => this.target.close?.(), timeoutMs);
    if (r.kind === 'value') return { ok: true, value: undefined };
    if (r.kind === 'timeout') return { ok: false, rule: 'hang', what: `did not close within ${timeoutMs} ms`, fatal: true };
    return { ok: false, rule: 'crash', what: `threw on close: ${describeError(r.error)}`, fatal: true };
  }
}

/**
 * A target that runs inside idgate's process: a TS/JS module exporting a
 * {@link TargetFactory}. `start()` imports it and calls the factory; the result is a
 * {@link StartedTarget}. A factory that throws, hangs or returns something that is not a target
 * yields a `target-failure` finding; a module that cannot be imported is a `UsageError`.
 * A synchronous endless loop cannot be bounded in-process: use {@link SubprocessTarget} for
 * targets you do not trust.
 */
export class InProcessTarget {
  readonly #options: InProcessTargetOptions;

  constructor(options: InProcessTargetOptions) {
    if (typeof options.module !== 'function' && (typeof options.module !== 'string' || options.module.length === 0)) {
      throw new UsageError('IDGATE_TARGET_MODULE', 'new InProcessTarget: `module` is neither a module path nor a factory', 'pass a module path, a URL or a factory function');
    }
    this.#options = options;
  }

  /** Imports the module and creates the target; bounded by `timeouts.startMs`. */
  async start(): Promise<TargetOutcome<StartedTarget>> {
    const o = this.#options;
    const t = resolveTimeouts(o.timeouts);
    const label = o.name ?? (typeof o.module === 'string' ? o.module : (o.module.name || 'in-process'));
    const factory = typeof o.module === 'string' ? await loadFactory(o.module, o.exportName) : o.module;
    const r = await boundedWait(() => factory({ worker: o.worker ?? 0, options: o.options ?? {} }), t.startMs);
    const fail = (rule: 'crash' | 'hang' | 'handshake', what: string): TargetOutcome<StartedTarget> => ({ ok: false, finding: targetFailure({ target: label, rule, what }) });
    if (r.kind === 'timeout') return fail('hang', `did not start within ${t.startMs} ms`);
    if (r.kind === 'error') return fail('crash', `threw while starting: ${describeError(r.error)}`);
    const target = r.value as Partial<Target> | null;
    if (typeof target !== 'object' || target === null || typeof target.generate !== 'function' || typeof target.userContext !== 'function') {
      return fail('handshake', 'returned something that is not a target (it needs generate and userContext)');
    }
    const full = target as Target;
    return {
      ok: true,
      value: new TargetSession({
        name: o.name ?? (typeof full.name === 'string' ? full.name : label),
        capabilities: {
          validate: typeof full.validate === 'function',
          parse: typeof full.parse === 'function',
          cleanupPatterns: typeof full.cleanupPatterns === 'function',
        },
        extractionRules: full.extractionRules ?? [],
        transport: new InProcessTransport(full),
        requestMs: t.requestMs,
        stopMs: t.stopMs,
      }),
    };
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfrastructureError } from '../model/index.js';
import { ensureBinary, type RequiredBinary } from './ensure-binary.js';
import { freePort } from './free-port.js';
import { unwatchProcess, watchProcess } from './reaper.js';
import { onShutdown } from './shutdown-hooks.js';
import { stopProcessGroup } from './stop-process-group.js';

/** How to run one kind of server from its Debian binary. */
export interface LocalServerRecipe extends RequiredBinary {
  /** `redis` or `clickhouse`: names the server in messages. */
  readonly name: string;
  /** How many loopback ports it needs. */
  readonly ports: number;
  /** Writes config files under `dir`; returns the command-line arguments. */
  prepare(dir: string, ports: readonly number[]): Promise<string[]>;
  /** Resolves true once the server answers on its ports. */
  probe(ports: readonly number[]): Promise<boolean>;
  /** The URL clients use. */
  url(ports: readonly number[]): string;
  /** Files under `dir` whose tail explains a failed start. */
  readonly logFiles: readonly string[];
}

/** Options of {@link LocalServer.start}. */
export interface LocalServerStartOptions {
  /** How long the server may take to answer. Default: 30 000 ms. */
  readonly readyTimeoutMs?: number;
  /** Install the Debian package when missing (root only). Default: true. */
  readonly install?: boolean;
  /** Where progress lines go. Default: stderr. */
  readonly log?: (line: string) => void;
}

/** A server not started yet: a recipe. `start()` gives a {@link StartedLocalServer}. */
export class LocalServer {
  constructor(readonly recipe: LocalServerRecipe) {}

  /**
   * Starts the server on free loopback ports with all data under a new temporary directory.
   * A bounded wait for readiness; on failure the error carries the port and the log's tail,
   * and the process is gone.
   */
  async start(options: LocalServerStartOptions = {}): Promise<StartedLocalServer> {
    const bin = await ensureBinary(this.recipe, { install: options.install, log: options.log });
    const timeout = options.readyTimeoutMs ?? 30_000;
    let lastError: unknown;
    // A free port can be taken between asking and binding: try a few times.
    for (let attempt = 0; attempt < 3; attempt++) {
      const ports: number[] = [];
      for (let i = 0; i < this.recipe.ports; i++) ports.push(await freePort());
      const dir = await mkdtemp(join(tmpdir(), `idgate-${this.recipe.name}-`));
      try {
        return await this.startOnce(bin, dir, ports, timeout);
      } catch (e) {
        lastError = e;
        await rm(dir, { recursive: true, force: true });
        if (!(e instanceof InfrastructureError) || !/in use|bind/i.test(e.message)) break;
      }
    }
    throw lastError;
  }

  private async startOnce(bin: string, dir: string, ports: number[], timeoutMs: number): Promise<StartedLocalServer> {
    const args = await this.recipe.prepare(dir, ports);
    const out = await open(join(dir, 'stdout.log'), 'a');
    let child: ChildProcess;
    try {
      // Own process group: a terminal's Ctrl-C reaches the harness, which stops servers in order.
      child = spawn(bin, args, { cwd: dir, detached: true, stdio: ['ignore', out.fd, out.fd] });
    } finally {
      await out.close();
    }
    const pid = child.pid;
    if (pid === undefined) {
      throw new InfrastructureError('IDGATE_SERVER_SPAWN', `stores: could not spawn ${bin}`, 'check that the binary runs: ' + bin + ' --version');
    }
    child.unref();
    watchProcess(pid, dir);
    const started = new StartedLocalServer(this.recipe, child, pid, dir, ports);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      if (await this.recipe.probe(ports).catch(() => false)) return started;
      await new Promise((r) => setTimeout(r, 50));
    }
    const exited = child.exitCode !== null || child.signalCode !== null;
    const tail = await started.logTail();
    await started.stop();
    throw new InfrastructureError(
      'IDGATE_SERVER_NOT_READY',
      `stores: ${this.recipe.name} (${bin}) on 127.0.0.1:${ports.join(',')} ${exited ? `exited (code ${child.exitCode ?? child.signalCode})` : `did not answer within ${timeoutMs} ms`}; log tail:\n${tail}`,
      `read the log above; raise the timeout with readyTimeoutMs if the machine is slow`,
    );
  }
}

/** A running local server. `stop()` ends it and removes its data directory. */
export class StartedLocalServer {
  private stopping: Promise<StoppedLocalServer> | undefined;
  private readonly removeHook: () => void;

  constructor(
    readonly recipe: LocalServerRecipe,
    private readonly child: ChildProcess,
    /** The server's pid (also its process group). */
    readonly pid: number,
    /** The temporary directory holding its config, data and logs. */
    readonly dir: string,
    readonly ports: readonly number[],
  ) {
    this.removeHook = onShutdown({ stop: () => this.stop(), pids: () => (this.isRunning() ? [this.pid] : []) });
  }

  /** The URL clients connect to (always 127.0.0.1). */
  get url(): string {
    return this.recipe.url(this.ports);
  }

  /** True while the process has not exited. */
  isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines of the server's logs. */
  async logTail(lines = 20): Promise<string> {
    const parts: string[] = [];
    for (const f of ['stdout.log', ...this.recipe.logFiles]) {
      const text = await readFile(join(this.dir, f), 'utf8').catch(() => '');
      if (text.trim() !== '') parts.push(`[${f}]\n${text.trimEnd().split('\n').slice(-lines).join('\n')}`);
    }
    return parts.join('\n') || '(no log output)';
  }

  /** SIGTERM, up to 10 s of grace, then SIGKILL; removes the data directory. Idempotent. */
  stop(): Promise<StoppedLocalServer> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<StoppedLocalServer> {
    await stopProcessGroup(this.child, this.pid);
    unwatchProcess(this.pid);
    this.removeHook();
    await rm(this.dir, { recursive: true, force: true });
    return new StoppedLocalServer(this.recipe.name, this.pid);
  }
}

/** A server that was started and has stopped; nothing can be done with it. */
export class StoppedLocalServer {
  constructor(
    readonly name: string,
    readonly pid: number,
  ) {}
}


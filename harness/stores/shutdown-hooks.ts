/*
 * Stops what the harness started when the process ends: on SIGINT/SIGTERM (Ctrl-C, CI
 * cancel) the registered stoppers run, then the signal is raised again so the exit status is
 * the usual one; on 'exit' (no await possible) every registered process group gets SIGKILL.
 * SIGKILL of the harness itself is the reaper's job (reaper.ts).
 */

/** Something to stop at shutdown: an async stop, and the pids to kill when there is no time. */
export interface ShutdownHook {
  readonly stop: () => Promise<unknown>;
  readonly pids: () => readonly number[];
}

const hooks = new Set<ShutdownHook>();
let installed = false;

function killNow(): void {
  for (const h of hooks) {
    for (const pid of h.pids()) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  if (hooks.size > 0) process.stderr.write(`\nidgate: ${signal} received, stopping the servers and containers idgate started…\n`);
  const all = [...hooks].map((h) => h.stop().catch(() => undefined));
  const timer = setTimeout(() => {
    killNow();
    process.kill(process.pid, signal);
  }, 10_000);
  void Promise.all(all).then(() => {
    clearTimeout(timer);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    // Re-raise only if nobody else handles it, so the exit status says which signal ended us.
    if (process.listenerCount(signal) <= signalExitListeners()) process.kill(process.pid, signal);
  });
}

/*
 * signal-exit (loaded with testcontainers, through proper-lockfile) keeps a listener on every
 * signal that re-raises the signal only once its own listeners are the only ones left. Those
 * listeners must not count as "someone else handles it", or neither side ever ends the process.
 */
function signalExitListeners(): number {
  const v3 = (process as unknown as { __signal_exit_emitter__?: { count?: unknown } }).__signal_exit_emitter__?.count;
  const v4 = (globalThis as unknown as Record<symbol, { count?: unknown } | undefined>)[Symbol.for('signal-exit emitter')]?.count;
  return (typeof v3 === 'number' ? v3 : 0) + (typeof v4 === 'number' ? v4 : 0);
}

/** Registers a hook; returns a function that removes it. */
export function onShutdown(hook: ShutdownHook): () => void {
  if (!installed) {
    installed = true;
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('exit', killNow);
  }
  hooks.add(hook);
  return () => hooks.delete(hook);
}

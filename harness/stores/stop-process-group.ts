import type { ChildProcess } from 'node:child_process';

/** Sends `sig` to the process group led by `pid` (servers run in their own), else to `pid` alone. */
export function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/**
 * Stops a process the harness started as a group leader: SIGTERM to the group, up to `graceMs`
 * for it to exit, then SIGKILL. Resolves once it has exited; a process already gone resolves
 * at once.
 */
export async function stopProcessGroup(child: ChildProcess, pid: number, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  signalGroup(pid, 'SIGTERM');
  const killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(killTimer);
}

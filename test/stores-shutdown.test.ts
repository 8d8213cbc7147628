import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAlive, waitDead } from './helpers/process-state.js';

const CHILD = fileURLToPath(new URL('./helpers/start-stores-child.ts', import.meta.url));

interface ChildInfo {
  pids: number[];
  /** The servers' data directories. */
  dirs: string[];
  reaper: number;
}

/** Starts a harness process that starts local stores; resolves with their pids. */
async function startHarnessChild(): Promise<{ child: ReturnType<typeof spawn>; info: ChildInfo }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`child exited ${code} before starting stores:\n${stderr}`)));
  });
  const info = JSON.parse(line) as ChildInfo;
  return { child, info };
}

describe('servers started by the harness', () => {
  it('are stopped by the reaper when the harness is SIGKILLed', async () => {
    const { child, info } = await startHarnessChild();
    expect(info.pids).toHaveLength(2);
    expect(info.pids.every(isAlive)).toBe(true);
    child.kill('SIGKILL');
    const left = await waitDead([...info.pids, info.reaper], 15_000);
    expect(left).toEqual([]);
    expect(info.dirs.filter((d) => existsSync(d))).toEqual([]);
  });

  it('are stopped when the harness gets SIGINT (Ctrl-C) or SIGTERM', async () => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const { child, info } = await startHarnessChild();
      const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, s) => r(s)));
      child.kill(sig);
      expect(await exited).toBe(sig);
      expect(await waitDead(info.pids, 15_000)).toEqual([]);
      expect(info.dirs.filter((d) => existsSync(d))).toEqual([]);
    }
  });
});

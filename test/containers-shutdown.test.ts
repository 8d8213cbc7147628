import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireContainerRuntime,
  dockerApi,
  IDGATE_OWNER_LABEL,
  IDGATE_RUN_LABEL,
  idgateContainerLabels,
  LoopbackRedisContainer,
  redisImageRecipe,
  ensureLocalImage,
  removeOrphanContainers,
  type ContainerRuntimeLease,
} from '../harness/stores/index.js';

const run = promisify(execFile);
const STORES = pathToFileURL(fileURLToPath(new URL('../harness/stores/index.js', import.meta.url))).href;

interface ChildInfo {
  runId: string;
  dockerHost: string;
}

let scratch: string;
let lease: ContainerRuntimeLease;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'idgate-test-'));
  lease = await acquireContainerRuntime();
});

afterAll(async () => {
  await lease.release();
  await rm(scratch, { recursive: true, force: true });
});

/** Ids of containers (any state) labelled `label`, as `podman ps -a` (or the Docker API) lists them. */
async function labelled(label: string): Promise<string[]> {
  if (lease.kind === 'podman') {
    const { stdout } = await run('podman', ['ps', '-a', '-q', '--filter', `label=${label}`]);
    return stdout.split('\n').filter(Boolean);
  }
  return (await dockerApi(lease.client).listContainers({ all: true, filters: { label: [label] } })).map((c) => c.Id);
}

/** Pids of processes whose command line mentions `needle`. */
async function pidsMentioning(needle: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(needle)) found.push(Number(entry));
  }
  return found;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

/**
 * A harness process with its own engine (no DOCKER_HOST inherited: with podman it starts its
 * own service) that starts container stores, prints its run id, and idles.
 */
async function startHarnessChild(): Promise<{ child: ReturnType<typeof spawn>; info: ChildInfo }> {
  const script = join(scratch, `child-${Date.now()}.mts`);
  await writeFile(
    script,
    `import { startStores } from ${JSON.stringify(STORES)};
const stores = await startStores({ provider: 'container', log: () => undefined });
process.stdout.write(JSON.stringify({ runId: stores.runId, dockerHost: process.env.DOCKER_HOST }) + '\\n');
setInterval(() => undefined, 1000);
`,
  );
  const env = { ...process.env };
  if (lease.kind === 'podman') {
    delete env.DOCKER_HOST;
    delete env.IDGATE_PODMAN_DOCKER_HOST;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: dirname(fileURLToPath(import.meta.url)) });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`child exited ${code} before starting stores:\n${stderr}`)));
  });
  return { child, info: JSON.parse(line) as ChildInfo };
}

describe('containers started by the harness', () => {
  it('are removed, and its podman service stopped, when the harness gets SIGINT (Ctrl-C)', async () => {
    const { child, info } = await startHarnessChild();
    const runLabel = `${IDGATE_RUN_LABEL}=${info.runId}`;
    expect(await labelled(runLabel)).toHaveLength(2);
    const socket = new URL(info.dockerHost).pathname;
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, s) => r(s)));
    child.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    expect(await labelled(runLabel)).toEqual([]);
    if (lease.kind === 'podman') {
      expect(await pidsMentioning(socket)).toEqual([]);
      expect(existsSync(dirname(socket))).toBe(false);
    }
  }, 90_000);

  it('are removed by the reaper, and its podman service stopped, when the harness is SIGKILLed', async () => {
    const { child, info } = await startHarnessChild();
    const runLabel = `${IDGATE_RUN_LABEL}=${info.runId}`;
    expect(await labelled(runLabel)).toHaveLength(2);
    const socket = new URL(info.dockerHost).pathname;
    child.kill('SIGKILL');
    expect(await waitFor(async () => (await labelled(runLabel)).length === 0, 30_000)).toBe(true);
    if (lease.kind === 'podman') {
      expect(await waitFor(async () => (await pidsMentioning(socket)).length === 0 && !existsSync(dirname(socket)), 15_000)).toBe(true);
    }
  }, 90_000);

  it('left behind by a dead owner are removed at the next start; live owners keep theirs', async () => {
    const image = lease.kind === 'podman' ? (await ensureLocalImage(redisImageRecipe, lease.client)).name : 'redis:7.0';
    const runId = `orphan${Date.now()}`;
    const mine = idgateContainerLabels(runId);
    const start = (owner: string) => new LoopbackRedisContainer(image).withCommand(['redis-server']).withLabels({ ...mine, [IDGATE_OWNER_LABEL]: owner }).start();
    // Pid 2^22 + 1 is above Linux's pid_max: that owner is certainly dead.
    const [dead, live] = await Promise.all([start(`${hostname()}/4194305/1`), start(mine[IDGATE_OWNER_LABEL]!)]);
    try {
      const removed = await removeOrphanContainers(lease.client);
      expect(removed).toContain(dead.getId());
      expect(removed).not.toContain(live.getId());
      const left = await labelled(`${IDGATE_RUN_LABEL}=${runId}`);
      expect(left).toHaveLength(1);
      expect(live.getId().startsWith(left[0]!)).toBe(true);
    } finally {
      await Promise.all([dead, live].map((c) => c.stop({ remove: true }).catch(() => undefined)));
    }
    expect(await labelled(`${IDGATE_RUN_LABEL}=${runId}`)).toEqual([]);
  }, 60_000);
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import {
  acquireContainerRuntime,
  clickhouseImageRecipe,
  dockerApi,
  ensureLocalImage,
  IDGATE_RUN_LABEL,
  pingClickHouse,
  pingRedis,
  redisImageRecipe,
  startStores,
  type ContainerRuntimeLease,
} from '../harness/stores/index.js';

const run = promisify(execFile);

/** Ids of the containers (any state) labelled `label`: through `podman ps` when the engine is podman. */
async function labelled(lease: ContainerRuntimeLease, label: string): Promise<string[]> {
  if (lease.kind === 'podman') {
    const { stdout } = await run('podman', ['ps', '-a', '-q', '--no-trunc', '--filter', `label=${label}`]);
    return stdout.split('\n').filter(Boolean);
  }
  return (await dockerApi(lease.client).listContainers({ all: true, filters: { label: [label] } })).map((c) => c.Id);
}

async function withRuntime<T>(body: (lease: ContainerRuntimeLease) => Promise<T>): Promise<T> {
  const lease = await acquireContainerRuntime();
  try {
    return await body(lease);
  } finally {
    await lease.release();
  }
}

describe('the container provider', () => {
  it('serves this project from labelled containers whose ports are published on 127.0.0.1 only', async () => {
    const stores = inject('stores');
    expect(stores.provider).toBe('container');
    const redis = new URL(stores.redisUrl);
    const clickhouse = new URL(stores.clickhouseUrl);
    expect([redis.hostname, clickhouse.hostname]).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(await pingRedis(Number(redis.port))).toBe(true);
    expect(await pingClickHouse(Number(clickhouse.port))).toBe(true);
    await withRuntime(async (lease) => {
      const ids = await labelled(lease, `${IDGATE_RUN_LABEL}=${stores.runId}`);
      expect(ids).toHaveLength(2);
      for (const id of ids) {
        const info = (await lease.client.container.inspect(lease.client.container.getById(id))) as { NetworkSettings: { Ports: Record<string, { HostIp: string }[] | null> } };
        const bindings = Object.values(info.NetworkSettings.Ports).flatMap((b) => b ?? []);
        expect(bindings.length).toBeGreaterThan(0);
        expect(bindings.map((b) => b.HostIp)).toEqual(bindings.map(() => '127.0.0.1'));
      }
    });
  });

  it('starts Redis within 2 s and ClickHouse within 8 s once images are cached, and leaves no container after stop()', async () => {
    await withRuntime(async (lease) => {
      // Built by the global setup when the engine is podman; cached from then on.
      const images = lease.kind === 'podman' ? await Promise.all([redisImageRecipe, clickhouseImageRecipe].map((r) => ensureLocalImage(r, lease.client))) : [];
      expect(images.every((i) => !i.built)).toBe(true);
      const stores = await startStores({ provider: 'container' });
      const redis = stores.endpoint('redis');
      const clickhouse = stores.endpoint('clickhouse');
      const sizes = images.map((i) => `${i.name} ${(i.sizeBytes / 1e6).toFixed(1)} MB`).join(', ');
      process.stderr.write(`idgate: container start on ${lease.kind}: redis ${redis.startMs?.toFixed(0)} ms, clickhouse ${clickhouse.startMs?.toFixed(0)} ms; images: ${sizes || 'official'}\n`);
      expect(await labelled(lease, `${IDGATE_RUN_LABEL}=${stores.runId}`)).toHaveLength(2);
      await stores.stop();
      expect(redis.startMs).toBeLessThanOrEqual(2000);
      expect(clickhouse.startMs).toBeLessThanOrEqual(8000);
      expect(await labelled(lease, `${IDGATE_RUN_LABEL}=${stores.runId}`)).toEqual([]);
      expect(await pingRedis(Number(new URL(redis.url).port))).toBe(false);
    });
  });

  it('rebuilds an image only when asked or when its recipe changed, under the same tag', async () => {
    await withRuntime(async (lease) => {
      if (lease.kind !== 'podman') return expect(lease.kind).toBe('docker');
      const cached = await ensureLocalImage(redisImageRecipe, lease.client);
      expect(cached.built).toBe(false);
      const rebuilt = await ensureLocalImage(redisImageRecipe, lease.client, { rebuild: true, log: () => undefined });
      expect(rebuilt).toMatchObject({ name: cached.name, built: true });
      expect(rebuilt.id).not.toBe(cached.id);
      expect(rebuilt.sizeBytes).toBeGreaterThan(1e6);
      expect(await ensureLocalImage(redisImageRecipe, lease.client)).toMatchObject({ id: rebuilt.id, built: false });
      const changed = await ensureLocalImage({ ...redisImageRecipe, changes: [...redisImageRecipe.changes, 'ENV IDGATE_TEST=1'] }, lease.client, { log: () => undefined });
      expect(changed).toMatchObject({ name: cached.name, built: true });
      expect(await ensureLocalImage(redisImageRecipe, lease.client, { log: () => undefined })).toMatchObject({ name: cached.name, built: true });
      // The old image is untagged now; it stays only while a container (the global setup's) runs it.
      const { stdout } = await run('podman', ['images', '-q', '--no-trunc', '--filter', 'dangling=true', '--filter', 'label=idgate.image-recipe']);
      expect(stdout.split('\n').filter(Boolean).every((id) => id.endsWith(cached.id.replace(/^sha256:/, '')))).toBe(true);
    });
  });
});

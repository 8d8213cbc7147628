import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ContainerRuntimeClient } from 'testcontainers';
import { dockerApi } from './docker-api.js';

/** Label every container idgate starts carries (value `true`); `podman ps -a --filter label=idgate` lists them. */
export const IDGATE_LABEL = 'idgate';
/** Label naming the {@link startStores} call that started a container. */
export const IDGATE_RUN_LABEL = 'idgate.run';
/** Label naming the store (`redis`, `clickhouse`) a container serves. */
export const IDGATE_STORE_LABEL = 'idgate.store';
/** Label naming the owning process as `<hostname>/<pid>/<start time in ticks>`; start time guards against pid reuse. */
export const IDGATE_OWNER_LABEL = 'idgate.owner';

/** The labels of a container started now by this process for run `runId`. */
export function idgateContainerLabels(runId: string): Record<string, string> {
  return { [IDGATE_LABEL]: 'true', [IDGATE_RUN_LABEL]: runId, [IDGATE_OWNER_LABEL]: ownerOf(process.pid) };
}

/**
 * Removes (forcefully) every container labelled by idgate whose owning process, on this host,
 * is gone — what a SIGKILLed or crashed run left behind. Containers of live idgate processes
 * and of other hosts are left alone. Returns the removed containers' ids.
 */
export async function removeOrphanContainers(client: ContainerRuntimeClient): Promise<string[]> {
  const me = hostname();
  const found = await dockerApi(client).listContainers({ all: true, filters: { label: [`${IDGATE_LABEL}=true`] } });
  const orphans = found.filter((c) => {
    const owner = c.Labels[IDGATE_OWNER_LABEL] ?? '';
    const [host, pid, start] = owner.split('/');
    if (host !== me || pid === undefined) return false;
    return ownerOf(Number(pid)) !== owner || start === undefined;
  });
  await Promise.all(orphans.map((c) => removeContainer(client, c.Id)));
  return orphans.map((c) => c.Id);
}

/** Removes every container of run `runId` (any state); returns their ids. */
export async function removeRunContainers(client: ContainerRuntimeClient, runId: string): Promise<string[]> {
  const found = await dockerApi(client).listContainers({ all: true, filters: { label: [`${IDGATE_RUN_LABEL}=${runId}`] } });
  await Promise.all(found.map((c) => removeContainer(client, c.Id)));
  return found.map((c) => c.Id);
}

/** Removes every container this process started (any run); returns their ids. */
export async function removeOwnContainers(client: ContainerRuntimeClient): Promise<string[]> {
  const found = await dockerApi(client).listContainers({ all: true, filters: { label: [`${IDGATE_OWNER_LABEL}=${ownerOf(process.pid)}`] } });
  await Promise.all(found.map((c) => removeContainer(client, c.Id)));
  return found.map((c) => c.Id);
}

/** Force-removes one container with its anonymous volumes; a container already gone is fine. */
export async function removeContainer(client: ContainerRuntimeClient, id: string): Promise<void> {
  try {
    await dockerApi(client).getContainer(id).remove({ force: true, v: true });
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode;
    // 404: already removed; 409: removal already in progress.
    if (status !== 404 && status !== 409) throw e;
  }
}

function ownerOf(pid: number): string {
  return `${hostname()}/${pid}/${processStartTicks(pid) ?? 'gone'}`;
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); a zombie is as good as gone.
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}

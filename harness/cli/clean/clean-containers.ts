import { getContainerRuntimeClient } from 'testcontainers';
import { dockerApi, dockerEngineConfigured, IDGATE_LABEL, IDGATE_OWNER_LABEL, IDGATE_RUN_LABEL, removeOrphanContainers } from '../../stores/index.js';
import type { CleanOutcome, Leftover } from './leftover.js';

/**
 * Lists the containers labelled `idgate=true` on the configured Docker engine and, with
 * `remove`, removes those whose owning idgate process on this host is gone (containers of live
 * runs and of other hosts stay). Resolves to undefined when no Docker engine is configured:
 * idgate's own podman service, and its containers, end with the run that started them.
 */
export async function cleanContainers(remove: boolean): Promise<CleanOutcome | undefined> {
  if (!dockerEngineConfigured()) return undefined;
  const client = await getContainerRuntimeClient();
  const list = await dockerApi(client).listContainers({ all: true, filters: { label: [`${IDGATE_LABEL}=true`] } });
  const found: Leftover[] = list.map((c) => ({ store: 'container', name: c.Id.slice(0, 12), what: `container ${c.Id.slice(0, 12)} (${c.State}, run ${c.Labels[IDGATE_RUN_LABEL] ?? '?'}, owner ${c.Labels[IDGATE_OWNER_LABEL] ?? '?'})`, idleSeconds: undefined }));
  if (!remove) return { found, removed: [] };
  const removed = new Set((await removeOrphanContainers(client)).map((id) => id.slice(0, 12)));
  return { found, removed: found.filter((l) => removed.has(l.name)) };
}

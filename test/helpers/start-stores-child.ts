// Child process for the shutdown tests: starts local stores, prints their pids and data
// directories as one JSON line, then idles until a signal ends it.
import { readlinkSync } from 'node:fs';
import { startStores, reaperPid } from '../../harness/stores/index.js';

const stores = await startStores({ provider: 'local' });
const eps = stores.list();
process.stdout.write(`${JSON.stringify({ pids: eps.map((e) => e.pid), dirs: eps.map((e) => readlinkSync(`/proc/${e.pid}/cwd`)), reaper: reaperPid() })}\n`);
setInterval(() => undefined, 1000);

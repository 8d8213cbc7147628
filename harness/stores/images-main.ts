// `npm run images [-- --rebuild]`: builds idgate's container images from Debian's packages (or
// finds them cached), prints their sizes, then starts both stores once in containers and prints
// how long each took to answer. Uses the same engine selection as the container provider.
import { clickhouseImageRecipe } from './clickhouse-container.js';
import { acquireContainerRuntime } from './container-runtime.js';
import { ensureLocalImage } from './local-image.js';
import { redisImageRecipe } from './redis-container.js';
import { startStores } from './start-stores.js';

const log = (line: string) => process.stderr.write(`${line}\n`);
const rebuild = process.argv.includes('--rebuild');
const lease = await acquireContainerRuntime({ log });
try {
  for (const recipe of [redisImageRecipe, clickhouseImageRecipe]) {
    const image = await ensureLocalImage(recipe, lease.client, { rebuild, log });
    const how = image.built ? `built in ${(image.buildMs / 1000).toFixed(1)} s` : 'cached';
    process.stdout.write(`${image.name}  ${(image.sizeBytes / 1e6).toFixed(1)} MB  (${how})\n`);
  }
  const stores = await startStores({ provider: 'container', env: { ...process.env, IDGATE_REDIS_IMAGE: 'local', IDGATE_CLICKHOUSE_IMAGE: 'local' }, log });
  try {
    for (const ep of stores.list()) process.stdout.write(`${ep.name} container (${lease.kind}) answered ${Math.round(ep.startMs ?? 0)} ms after start\n`);
  } finally {
    await stores.stop();
  }
} finally {
  await lease.release();
}

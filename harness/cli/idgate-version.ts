import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** idgate's own version, from its package.json (from sources or from dist/). */
export function idgateVersion(): string {
  if (cached !== undefined) return cached;
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, '..', '..'), join(here, '..', '..', '..')]) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'idgate' && typeof pkg.version === 'string') return (cached = pkg.version);
  }
  return (cached = '0.0.0');
}

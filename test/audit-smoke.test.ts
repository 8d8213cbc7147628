import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditTree } from '../harness/audit/index.js';

/** A bounded run over real trees: no crash, every file read. The full run is `bench/audit-bench.ts`. */
describe('idgate audit smoke over real code', () => {
  const stdlib = (() => {
    try {
      return execFileSync('python3', ['-c', 'import sysconfig;print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  })();

  it('Python standard library (email, json, asyncio, uuid.py): no crash, no unreadable file', async () => {
    expect(existsSync(stdlib), 'python3 with its standard library is needed').toBe(true);
    for (const pkg of ['email', 'json', 'asyncio']) {
      const r = await auditTree(`${stdlib}/${pkg}`, { prefilter: false, jobs: 0 });
      expect(r.files).toBeGreaterThanOrEqual(5);
      expect(r.skipped.filter((s) => s.error)).toEqual([]);
    }
    // uuid.py defines uuid4 itself: its own calls are locals, not the library's.
    const uuidModule = await auditTree(`${stdlib}/uuid.py`, { prefilter: false });
    expect(uuidModule.hits).toEqual([]);
  });

  it('this repo\'s node_modules/vitest: no crash, in worker threads', async () => {
    const r = await auditTree('node_modules/vitest', { jobs: 2, prefilter: false });
    expect(r.files).toBeGreaterThan(50);
    expect(r.skipped.filter((s) => s.error)).toEqual([]);
  });
});

// `npx tsx bench/audit-bench.ts` (or `node dist/bench/audit-bench.js` after `npm run build`):
// runs `idgate audit` over the Python standard library and this repo's node_modules and prints
// files/s, then times exactly 10,000 files (target: ≤ 10 s on 2 cores).
import { execFileSync } from 'node:child_process';
import { auditTree, type AuditResult } from '../harness/audit/index.js';

const stdlib = execFileSync('python3', ['-c', 'import sysconfig;print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
const jobs = process.env.IDGATE_AUDIT_JOBS === undefined ? undefined : Number(process.env.IDGATE_AUDIT_JOBS);

function row(name: string, r: AuditResult): void {
  const byRule: Record<string, number> = {};
  for (const h of r.hits) byRule[h.rule] = (byRule[h.rule] ?? 0) + 1;
  const s = r.elapsedMs / 1000;
  console.log(
    `${name.padEnd(22)} ${String(r.files).padStart(6)} files ${(r.bytes / 1e6).toFixed(0).padStart(4)} MB ${s.toFixed(2).padStart(6)} s ` +
      `${String(Math.round(r.files / s)).padStart(6)} files/s  ${r.hits.length} findings ${JSON.stringify(byRule)}  ` +
      `${r.skipped.length} skipped (${r.skipped.filter((x) => x.error).length} unreadable)`,
  );
}

const opts = { skipDirs: ['.git'], ...(jobs === undefined ? {} : { jobs }) };
row('python stdlib', await auditTree(stdlib, opts));
row('node_modules', await auditTree('node_modules', opts));
const tenK = await auditTree(stdlib, { ...opts, limit: 10_000 });
row('10,000 files (stdlib)', tenK);
console.log(`10,000-file target ≤ 10 s: ${tenK.elapsedMs <= 10_000 ? 'met' : 'MISSED'} (${(tenK.elapsedMs / 1000).toFixed(2)} s)`);

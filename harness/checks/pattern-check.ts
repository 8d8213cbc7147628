import type { DomainName } from '../model/index.js';
import type { Check, CheckContext, CheckedBatch } from './check.js';
import { ExampleSink } from './example-sink.js';

/**
 * `pattern`: every ID parses under its domain's spec. Where a domain emits IDs that parse and
 * IDs that do not, it emits two layouts (e.g. one code path with upper-case hex): the finding
 * says so and quotes the failing field. Timestamp fields promised monotonic must not go back
 * in minting order within one worker (rule `timestamp-order`).
 */
export function patternCheck(context: CheckContext): Check {
  const sink = new ExampleSink('pattern', 'pattern', context);
  const tallies = new Map<DomainName, { ok: number; bad: number }>();
  const lastTs = new Map<string, bigint>();
  return {
    name: 'pattern',
    observe({ batch, parsed }: CheckedBatch) {
      if (parsed === undefined) {
        sink.add(batch.domain, 'unknown-domain', batch.ids[0] ?? '', batch.owners[0] ?? 0, `no spec for domain ${batch.domain}`);
        return;
      }
      const codec = context.catalog.codec(batch.domain);
      const tally = tallies.get(batch.domain) ?? { ok: 0, bad: 0 };
      tallies.set(batch.domain, tally);
      const ts = codec.spec.fields.find((f) => f.kind === 'timestamp' && f.monotonic)?.name;
      for (let i = 0; i < batch.ids.length; i++) {
        const r = parsed[i]!;
        if (r.ok) {
          tally.ok++;
          if (ts === undefined) continue;
          const key = `${batch.domain}\u0000${batch.workers[i]}`;
          const value = BigInt(r.value.fields[ts]!);
          const last = lastTs.get(key);
          if (last !== undefined && value < last) {
            sink.add(batch.domain, 'timestamp-order', batch.ids[i]!, batch.owners[i]!, `timestamp ${value} after ${last} from the same worker (${Number(last - value)} ms back)`);
          }
          if (last === undefined || value > last) lastTs.set(key, value);
        } else {
          tally.bad++;
          sink.add(batch.domain, 'parse', batch.ids[i]!, batch.owners[i]!, r.error.message);
        }
      }
    },
    findings() {
      return sink.findings(
        (domain, rule, count) => {
          if (rule === 'timestamp-order') return `${domain}: ${count} ID(s) whose timestamp goes back in time within one worker (the spec promises monotonic)`;
          const t = tallies.get(domain);
          const two = t !== undefined && t.ok > 0 ? `; ${t.ok} others do parse, so the domain emits two layouts` : '';
          return `${domain}: ${count} ID(s) do not parse under the ${domain} spec${two}`;
        },
        (domain) => ({ parsed: tallies.get(domain)?.ok ?? 0, regex: context.catalog.has(domain) ? context.catalog.codec(domain).regex : undefined }),
      );
    },
  };
}

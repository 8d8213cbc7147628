import { extractParent } from '../spec/index.js';
import type { Check, CheckContext, CheckedBatch } from './check.js';
import { ExampleSink } from './example-sink.js';

/**
 * `relation`: the parent read out of a child ID is the parent it was really minted under
 * (run → thread, request → run). Read two ways: by the catalog's spec (rule `spec`), and by
 * every extraction rule the target declares for that child (a code path that reads a thread
 * out of a run by tokens is checked on every run ID it could be handed, so two coexisting ID
 * layouts that make it answer wrong are caught).
 */
export function relationCheck(context: CheckContext): Check {
  const sink = new ExampleSink('relation', 'relation', context);
  return {
    name: 'relation',
    observe({ batch, parents, parentDomain, parsed }: CheckedBatch) {
      if (parents === undefined || parentDomain === undefined || parsed === undefined) return;
      const codec = context.catalog.codec(batch.domain);
      const field = codec.spec.fields.find((f) => f.kind === 'parent' && f.domain === parentDomain);
      const rules = context.extractionRules.filter((r) => r.child === batch.domain && r.parent === parentDomain);
      for (let i = 0; i < batch.ids.length; i++) {
        const id = batch.ids[i]!;
        const real = parents[i]!;
        if (field !== undefined) {
          const r = parsed[i]!;
          const read = r.ok ? r.value.fields[field.name] : undefined;
          if (read !== real) sink.add(batch.domain, 'spec', id, batch.owners[i]!, `spec reads ${read === undefined ? 'no parent' : JSON.stringify(read)}, real ${parentDomain} is ${JSON.stringify(real)}`);
        }
        for (const rule of rules) {
          const got = extractParent([rule], batch.domain, id, context.catalog);
          if (got === undefined) continue; // the rule's `match` does not fit this ID
          if (got.parent !== real) {
            sink.add(batch.domain, `rule:${rule.name}`, id, batch.owners[i]!, `rule ${rule.name} reads ${got.parent === undefined ? 'no parent' : JSON.stringify(got.parent)}, real ${parentDomain} is ${JSON.stringify(real)}`);
          }
        }
      }
    },
    findings() {
      return sink.findings((domain, rule, count) => `${domain}: ${count} ID(s) whose parent read by ${rule === 'spec' ? 'the spec' : rule.replace('rule:', 'the target rule ')} is not the real parent`);
    },
  };
}

import type { DomainName, Finding, FindingKind } from '../model/index.js';
import type { CheckContext } from './check.js';

interface Bucket {
  count: number;
  ids: string[];
  owners: Set<number>;
  details: string[];
}

/**
 * Counts offending IDs per (domain, rule) and keeps a bounded sample of them, then turns each
 * bucket into one finding. Shared by the streaming checks.
 */
export class ExampleSink {
  private readonly buckets = new Map<string, { domain: DomainName; rule: string; b: Bucket }>();

  constructor(
    private readonly kind: FindingKind,
    private readonly check: string,
    private readonly context: CheckContext,
  ) {}

  /** Records one offending ID with a one-line detail (the first few are kept). */
  add(domain: DomainName, rule: string, id: string, owner: number, detail: string): void {
    const key = `${domain}\u0000${rule}`;
    let entry = this.buckets.get(key);
    if (entry === undefined) {
      entry = { domain, rule, b: { count: 0, ids: [], owners: new Set(), details: [] } };
      this.buckets.set(key, entry);
    }
    const b = entry.b;
    b.count++;
    if (b.ids.length < this.context.maxExamples) {
      b.ids.push(id);
      b.owners.add(owner);
      b.details.push(detail);
    }
  }

  /** One finding per (domain, rule), worded by `message`. */
  findings(message: (domain: DomainName, rule: string, count: number) => string, evidence: (domain: DomainName, rule: string) => Record<string, unknown> = () => ({})): Finding[] {
    return [...this.buckets.values()].map(({ domain, rule, b }) => ({
      kind: this.kind,
      domain,
      rule,
      source: this.check,
      message: message(domain, rule, b.count),
      ids: b.ids,
      owners: [...b.owners],
      evidence: { count: b.count, examples: b.details, ...evidence(domain, rule) },
      replay: this.context.replay?.(this.check, domain),
    }));
  }
}

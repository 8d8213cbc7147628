import type { DomainName, Finding, FindingKind } from '../model/index.js';

interface Bucket {
  readonly kind: FindingKind;
  readonly domain: DomainName | undefined;
  readonly rule: string;
  count: number;
  readonly ids: string[];
  readonly owners: Set<number>;
  readonly details: string[];
}

/**
 * Counts offending IDs per (kind, domain, rule) and keeps the first `maxExamples` of each with
 * their owners and a one-line detail; each bucket becomes one {@link Finding}. The scan's
 * counterpart of the checks' ExampleSink, for findings that come from a store, not a run.
 */
export class FindingBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    /** `source` of every finding (`redis-scan`, `clickhouse-scan`). */
    private readonly source: string,
    /** IDs quoted per finding. */
    private readonly maxExamples: number,
  ) {}

  /** Records one offending ID (or, for duplicates and shared tags, one offending group). */
  add(kind: FindingKind, domain: DomainName | undefined, rule: string, id: string, owners: readonly number[], detail: string, count = 1): void {
    const key = `${kind}\u0000${domain ?? ''}\u0000${rule}`;
    let b = this.buckets.get(key);
    if (b === undefined) {
      b = { kind, domain, rule, count: 0, ids: [], owners: new Set(), details: [] };
      this.buckets.set(key, b);
    }
    b.count += count;
    if (b.ids.length < this.maxExamples) {
      b.ids.push(id);
      for (const o of owners) b.owners.add(o);
      b.details.push(detail);
    }
  }

  /** One finding per bucket, worded by `message(kind, domain, rule, count)`; evidence holds count and examples. */
  findings(message: (kind: FindingKind, domain: DomainName | undefined, rule: string, count: number) => string, evidence: (kind: FindingKind, domain: DomainName | undefined) => Record<string, unknown> = () => ({})): Finding[] {
    return [...this.buckets.values()].map((b) => ({
      kind: b.kind,
      ...(b.domain === undefined ? {} : { domain: b.domain }),
      rule: b.rule,
      source: this.source,
      message: message(b.kind, b.domain, b.rule, b.count),
      ids: b.ids,
      owners: [...b.owners].sort((x, y) => x - y),
      evidence: { count: b.count, examples: b.details, ...evidence(b.kind, b.domain) },
    }));
  }
}

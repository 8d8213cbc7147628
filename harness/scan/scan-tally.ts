import type { DomainName, Finding } from '../model/index.js';
import type { DomainCatalog } from '../spec/index.js';
import { FindingBuckets } from './finding-buckets.js';
import type { LocatedId } from './id-locator.js';

/** Options of {@link ScanTally}. */
export interface ScanTallyOptions {
  readonly catalog: DomainCatalog;
  /** `source` of the findings. Default: `redis-scan`. */
  readonly source?: string;
  /** IDs quoted per finding. Default: 10. */
  readonly maxExamples?: number;
}

/** One key as the scan saw it. */
export interface ObservedKey {
  readonly key: string;
  /** See {@link keySpaceOf}. */
  readonly keySpace: string;
  /** The key's owner (user), where the owner source found one. */
  readonly owner: string | undefined;
  /** IDs located in the key name. */
  readonly inName: readonly LocatedId[];
  /** IDs located in the value (strings, hash fields and values, members, elements). */
  readonly inValue: readonly LocatedId[];
}

interface Seen {
  /** Owner index, -1 while unknown. */
  owner: number;
  /** The first key space whose key names it, -1 while none. */
  space: number;
  /** That key. */
  key: string;
  /** Further key spaces naming it, rarely needed. */
  more?: Map<number, string>;
  reported: number;
}

const DUP = 1;
const MULTI = 2;

/**
 * The scan's checks over the IDs located in a store's keys, streamed key by key: `pattern` (an
 * ID that does not parse under its domain), `duplicate` (one ID naming two keys of one key
 * space), `multi-owner` (one ID found under two owners, in key names or values) and `isolation`
 * (a user tag carried by two users). IDs of the owner domain (`user`, which the catalog's
 * user-tag fields point to) are their own owner, so they are never multi-owner. Keeps one small
 * entry per distinct ID.
 */
export class ScanTally {
  /** Owner table: owner index → the owner as the store holds it. */
  readonly users: string[] = [];
  private readonly userIndex = new Map<string, number>();
  private readonly seen = new Map<string, Seen>();
  private readonly spaces = new Map<string, number>();
  private readonly tags = new Map<DomainName, Map<string, { owner: number; id: string }>>();
  private readonly tagReported = new Set<string>();
  private readonly parsedOk = new Map<DomainName, number>();
  private readonly buckets: FindingBuckets;
  private readonly ownerDomains: ReadonlySet<DomainName>;
  private readonly tagFields = new Map<DomainName, string | null>();
  /** Keys observed. */
  keys = 0;
  /** Keys observed without an owner. */
  keysWithoutOwner = 0;
  /** ID occurrences located (key names and values). */
  occurrences = 0;

  constructor(private readonly options: ScanTallyOptions) {
    this.buckets = new FindingBuckets(options.source ?? 'redis-scan', options.maxExamples ?? 10);
    const owners = options.catalog.relations.filter((r) => r.kind === 'tagged').map((r) => r.to);
    this.ownerDomains = new Set(owners.length > 0 ? owners : ['user']);
  }

  /** Distinct IDs seen. */
  get distinctIds(): number {
    return this.seen.size;
  }

  /** The owner index of `owner`, adding it to {@link users} on first sight. */
  ownerIndex(owner: string): number {
    let i = this.userIndex.get(owner);
    if (i === undefined) {
      i = this.users.length;
      this.users.push(owner);
      this.userIndex.set(owner, i);
    }
    return i;
  }

  /** Takes in one key: each distinct ID it holds counts once for it. */
  observeKey(k: ObservedKey): void {
    this.keys++;
    const owner = k.owner === undefined ? -1 : this.ownerIndex(k.owner);
    if (owner < 0) this.keysWithoutOwner++;
    let space = this.spaces.get(k.keySpace);
    if (space === undefined) {
      space = this.spaces.size;
      this.spaces.set(k.keySpace, space);
    }
    const done = new Set<string>();
    // The owner's own ID (user_… as a key part or a field) is who holds the key, not what it names.
    for (const l of k.inName) {
      if (done.has(l.id) || l.id === k.owner) continue;
      done.add(l.id);
      this.observeId(l, owner, space, k);
    }
    for (const l of k.inValue) {
      if (done.has(l.id) || l.id === k.owner) continue;
      done.add(l.id);
      this.observeId(l, owner, -1, k);
    }
  }

  /** The user-tag field of `domain`, or null; looked up once per domain. */
  private tagFieldOf(domain: DomainName): string | null {
    let f = this.tagFields.get(domain);
    if (f === undefined) {
      f = this.options.catalog.codec(domain).spec.fields.find((x) => x.kind === 'user-tag')?.name ?? null;
      this.tagFields.set(domain, f);
    }
    return f;
  }

  private observeId(l: LocatedId, owner: number, space: number, k: ObservedKey): void {
    this.occurrences++;
    let s = this.seen.get(l.id);
    if (s === undefined) {
      s = { owner: -1, space: -1, key: k.key, reported: 0 };
      this.seen.set(l.id, s);
      if (l.parsed.ok) this.parsedOk.set(l.domain, (this.parsedOk.get(l.domain) ?? 0) + 1);
      else this.buckets.add('pattern', l.domain, 'parse', l.id, owner < 0 ? [] : [owner], `${l.parsed.error.message} (key ${JSON.stringify(k.key)})`);
    }
    if (space >= 0) this.observeName(l, s, space, owner, k.key);
    if (owner < 0 || this.ownerDomains.has(l.domain)) return;
    if (s.owner < 0) s.owner = owner;
    else if (s.owner !== owner && (s.reported & MULTI) === 0) {
      s.reported |= MULTI;
      this.buckets.add('multi-owner', l.domain, 'scan', l.id, [s.owner, owner], `held by ${JSON.stringify(this.users[s.owner])} (key ${JSON.stringify(s.key)}) and ${JSON.stringify(this.users[owner])} (key ${JSON.stringify(k.key)})`);
    }
    if (!l.parsed.ok) return;
    const tagField = this.tagFieldOf(l.domain);
    if (tagField === null) return;
    const tag = l.parsed.value.fields[tagField]!;
    let byTag = this.tags.get(l.domain);
    if (byTag === undefined) {
      byTag = new Map();
      this.tags.set(l.domain, byTag);
    }
    const first = byTag.get(tag);
    if (first === undefined) byTag.set(tag, { owner, id: l.id });
    // The same ID under another owner is a multi-owner ID, reported above; a shared tag is another ID.
    else if (first.owner !== owner && first.id !== l.id && !this.tagReported.has(`${l.domain}\u0000${tag}\u0000${owner}`)) {
      this.tagReported.add(`${l.domain}\u0000${tag}\u0000${owner}`);
      this.buckets.add('isolation', l.domain, 'shared-user-tag', l.id, [first.owner, owner], `tag ${JSON.stringify(tag)} stands for users ${JSON.stringify(this.users[first.owner])} (${JSON.stringify(first.id)}) and ${JSON.stringify(this.users[owner])}`);
    }
  }

  private observeName(l: LocatedId, s: Seen, space: number, owner: number, key: string): void {
    let firstKey: string | undefined;
    if (s.space < 0) {
      s.space = space;
      s.key = key;
      return;
    }
    if (s.space === space) firstKey = s.key;
    else {
      s.more ??= new Map();
      firstKey = s.more.get(space);
      if (firstKey === undefined) s.more.set(space, key);
    }
    if (firstKey !== undefined && firstKey !== key && (s.reported & DUP) === 0) {
      s.reported |= DUP;
      const owners = [s.owner, owner].filter((o, i, a) => o >= 0 && a.indexOf(o) === i);
      this.buckets.add('duplicate', l.domain, 'key-space', l.id, owners, `names keys ${JSON.stringify(firstKey)} and ${JSON.stringify(key)} of one key space`);
    }
  }

  /** The findings so far, one per (kind, domain, rule). */
  findings(): Finding[] {
    const what: Record<string, string> = {
      duplicate: 'each name two or more keys of one key space: one ID minted (or stored) twice',
      'multi-owner': 'are held by two or more users',
      isolation: 'carry a user tag that another user also carries',
    };
    return this.buckets.findings(
      (kind, domain, _rule, count) => {
        if (kind !== 'pattern') return `${domain}: ${count} ID(s) ${what[kind] ?? kind}`;
        const ok = this.parsedOk.get(domain!) ?? 0;
        return `${domain}: ${count} ID(s) do not parse under the ${domain} spec${ok > 0 ? `; ${ok} others do parse, so the store holds two layouts` : ''}`;
      },
      (kind, domain) => (kind === 'pattern' && domain !== undefined ? { parsed: this.parsedOk.get(domain) ?? 0, regex: this.options.catalog.codec(domain).regex } : {}),
    );
  }
}

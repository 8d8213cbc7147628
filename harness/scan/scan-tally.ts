import type { DomainName, Finding } from '../model/index.js';
import type { DomainCatalog } from '../spec/index.js';
import { FindingBuckets } from './finding-buckets.js';
import type { LocatedId } from './id-locator.js';
import { SeenIds } from './seen-ids.js';

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
  /** Owner → its index (slots are given in order of first sight, as {@link users} grows). */
  private readonly userSlots = new SeenIds();
  private readonly seen = new SeenIds();
  private readonly spaces = new Map<string, number>();
  /** Per domain: user tag → slot, with the first owner seen with it and (as the slot's key) the first ID carrying it. */
  private readonly tags = new Map<DomainName, SeenIds>();
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
    const i = this.userSlots.slotFor(owner, '');
    if (this.userSlots.added) this.users.push(owner);
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
    const seen = this.seen;
    const s = seen.slotFor(l.id, k.key);
    if (seen.added) {
      if (l.parsed.ok) this.parsedOk.set(l.domain, (this.parsedOk.get(l.domain) ?? 0) + 1);
      else this.buckets.add('pattern', l.domain, 'parse', l.id, owner < 0 ? [] : [owner], `${l.parsed.error.message} (key ${JSON.stringify(k.key)})`);
    }
    if (space >= 0) this.observeName(l, s, space, owner, k.key);
    if (owner < 0 || this.ownerDomains.has(l.domain)) return;
    const held = seen.owner(s);
    if (held < 0) seen.setOwner(s, owner);
    else if (held !== owner && !seen.has(s, MULTI)) {
      seen.mark(s, MULTI);
      this.buckets.add('multi-owner', l.domain, 'scan', l.id, [held, owner], `held by ${JSON.stringify(this.users[held])} (key ${JSON.stringify(seen.key(s))}) and ${JSON.stringify(this.users[owner])} (key ${JSON.stringify(k.key)})`);
    }
    if (!l.parsed.ok) return;
    const tagField = this.tagFieldOf(l.domain);
    if (tagField === null) return;
    const tag = l.parsed.value.fields[tagField]!;
    let byTag = this.tags.get(l.domain);
    if (byTag === undefined) {
      byTag = new SeenIds();
      this.tags.set(l.domain, byTag);
    }
    const t = byTag.slotFor(tag, l.id);
    if (byTag.added) {
      byTag.setOwner(t, owner);
      return;
    }
    const firstOwner = byTag.owner(t);
    const firstId = byTag.key(t);
    // The same ID under another owner is a multi-owner ID, reported above; a shared tag is another ID.
    if (firstOwner !== owner && firstId !== l.id && !this.tagReported.has(`${l.domain}\u0000${tag}\u0000${owner}`)) {
      this.tagReported.add(`${l.domain}\u0000${tag}\u0000${owner}`);
      this.buckets.add('isolation', l.domain, 'shared-user-tag', l.id, [firstOwner, owner], `tag ${JSON.stringify(tag)} stands for users ${JSON.stringify(this.users[firstOwner])} (${JSON.stringify(firstId)}) and ${JSON.stringify(this.users[owner])}`);
    }
  }

  private observeName(l: LocatedId, s: number, space: number, owner: number, key: string): void {
    const seen = this.seen;
    const firstSpace = seen.space(s);
    if (firstSpace < 0) {
      seen.setSpace(s, space, key);
      return;
    }
    const firstKey = firstSpace === space ? seen.key(s) : seen.firstKeyIn(s, space, key);
    if (firstKey !== undefined && firstKey !== key && !seen.has(s, DUP)) {
      seen.mark(s, DUP);
      const owners = [seen.owner(s), owner].filter((o, i, a) => o >= 0 && a.indexOf(o) === i);
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

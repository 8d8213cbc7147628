import type { DomainName, Finding } from '../model/index.js';
import type { DomainCatalog, DomainCodec } from '../spec/index.js';
import { FindingBuckets } from './finding-buckets.js';
import type { LocatedId } from './id-locator.js';
import { hashString, SeenIds } from './seen-ids.js';

/** Options of {@link ScanTally}. */
export interface ScanTallyOptions {
  readonly catalog: DomainCatalog;
  /** `source` of the findings. Default: `redis-scan`. */
  readonly source?: string;
  /** IDs quoted per finding. Default: 10. */
  readonly maxExamples?: number;
  /** The key space of a key ({@link keySpaceOf} over the IDs located in it), for keys observed without one. Default: the key itself. */
  readonly keySpaceOf?: (key: string) => string;
  /** Distinct IDs expected (a sizing hint, e.g. twice the store's key count). Default: none. */
  readonly expectedIds?: number;
}

/** One key as the scan saw it. */
export interface ObservedKey {
  readonly key: string;
  /**
   * See {@link keySpaceOf}. Default: {@link ScanTallyOptions.keySpaceOf} of the key, asked only
   * when one of the key's IDs names another key too (most IDs name one key, so most keys never
   * need their key space).
   */
  readonly keySpace?: string;
  /** The key's owner (user), where the owner source found one. */
  readonly owner: string | undefined;
  /** IDs located in the key name. */
  readonly inName: readonly LocatedId[];
  /** IDs located in the value (strings, hash fields and values, members, elements). */
  readonly inValue: readonly LocatedId[];
}

/** True when one of `list[0..end)` is `id`. */
function seenBefore(list: readonly LocatedId[], end: number, id: string): boolean {
  for (let j = 0; j < end; j++) if (list[j]!.id === id) return true;
  return false;
}

/** {@link SeenIds.space} of an ID no key has named yet. */
const NEVER_NAMED = -1;
/** {@link SeenIds.space} of an ID one key named, whose key space is not worked out yet. */
const NAMED = -2;

const DUP = 1;
const MULTI = 2;
const MALFORMED = 4;

/** What {@link ScanTally} keeps per domain. */
interface DomainTally {
  readonly codec: DomainCodec;
  /** The user-tag field, or null. */
  readonly tagField: string | null;
  /** User tag → slot, with the first owner seen with it and (as the slot's key) the first ID carrying it. */
  readonly tags: SeenIds;
  /** Distinct IDs that parse. */
  parsed: number;
  /** An owner domain (`user`): its IDs are their own owner, never multi-owner. */
  readonly ownerDomain: boolean;
}

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
  private readonly seen: SeenIds;
  private readonly spaces = new Map<string, number>();
  private readonly perDomain = new Map<DomainName, DomainTally>();
  private readonly tagReported = new Set<string>();
  private readonly buckets: FindingBuckets;
  private readonly ownerDomains: ReadonlySet<DomainName>;
  /** Hashes of a page's IDs (see {@link observeKeys}), reused page to page. */
  private hashes = new Int32Array(4096);
  /** {@link currentSpace}'s memo: the key space index of the key being observed, or -1. */
  private current = -1;
  /** Keys observed. */
  keys = 0;
  /** Keys observed without an owner. */
  keysWithoutOwner = 0;
  /** ID occurrences located (key names and values). */
  occurrences = 0;

  constructor(private readonly options: ScanTallyOptions) {
    this.seen = new SeenIds(options.expectedIds);
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

  /**
   * Takes in a page of keys, as {@link observeKey} one by one would, faster: every ID is hashed
   * first, then every hash's table cell is read in one tight loop — those reads do not depend on
   * each other, so the CPU overlaps their cache misses, where one ID at a time waits for each in
   * turn (the miss was the largest single cost of a million-key scan).
   */
  observeKeys(keys: readonly ObservedKey[]): void {
    let n = 0;
    for (const k of keys) n += k.inName.length + k.inValue.length;
    if (this.hashes.length < n) this.hashes = new Int32Array(2 * n);
    const hashes = this.hashes;
    let j = 0;
    for (const k of keys) {
      for (const l of k.inName) hashes[j++] = hashString(l.id);
      for (const l of k.inValue) hashes[j++] = hashString(l.id);
    }
    this.seen.touch(hashes, n);
    j = 0;
    for (const k of keys) {
      this.observeHashed(k, hashes, j);
      j += k.inName.length + k.inValue.length;
    }
  }

  /** Takes in one key: each distinct ID it holds counts once for it. */
  observeKey(k: ObservedKey): void {
    const hashes = new Int32Array(k.inName.length + k.inValue.length);
    let j = 0;
    for (const l of k.inName) hashes[j++] = hashString(l.id);
    for (const l of k.inValue) hashes[j++] = hashString(l.id);
    this.observeHashed(k, hashes, 0);
  }

  /** {@link observeKey} with the hashes of the key's IDs at `hashes[base…]`, names then values. */
  private observeHashed(k: ObservedKey, hashes: Int32Array, base: number): void {
    this.keys++;
    const owner = k.owner === undefined ? -1 : this.ownerIndex(k.owner);
    if (owner < 0) this.keysWithoutOwner++;
    this.current = -1;
    // The owner's own ID (user_… as a key part or a field) is who holds the key, not what it names.
    const name = k.inName;
    const value = k.inValue;
    if (name.length + value.length > 16) {
      this.observeMany(k, hashes, base, owner);
      return;
    }
    // Each distinct ID counts once per key: a key holds a handful, so a look back beats a Set.
    for (let i = 0; i < name.length; i++) {
      const l = name[i]!;
      if (l.id === k.owner || seenBefore(name, i, l.id)) continue;
      this.observeId(l, hashes[base + i]!, owner, true, k);
    }
    for (let i = 0; i < value.length; i++) {
      const l = value[i]!;
      if (l.id === k.owner || seenBefore(value, i, l.id) || seenBefore(name, name.length, l.id)) continue;
      this.observeId(l, hashes[base + name.length + i]!, owner, false, k);
    }
  }

  /** {@link observeHashed} for a key holding many IDs (a big hash or set): distinct IDs through a Set. */
  private observeMany(k: ObservedKey, hashes: Int32Array, base: number, owner: number): void {
    const done = new Set<string>();
    const lists = [k.inName, k.inValue];
    let j = base;
    for (const list of lists) {
      for (const l of list) {
        const h = hashes[j++]!;
        if (done.has(l.id) || l.id === k.owner) continue;
        done.add(l.id);
        this.observeId(l, h, owner, list === k.inName, k);
      }
    }
  }

  /** What the tally keeps per domain; made on the domain's first ID. */
  private domainTally(domain: DomainName): DomainTally {
    let d = this.perDomain.get(domain);
    if (d === undefined) {
      const codec = this.options.catalog.codec(domain);
      const tagField = codec.spec.fields.find((x) => x.kind === 'user-tag')?.name ?? null;
      d = { codec, tagField, tags: new SeenIds(), parsed: 0, ownerDomain: this.ownerDomains.has(domain) };
      this.perDomain.set(domain, d);
    }
    return d;
  }

  private observeId(l: LocatedId, hash: number, owner: number, inName: boolean, k: ObservedKey): void {
    this.occurrences++;
    const d = this.domainTally(l.domain);
    const seen = this.seen;
    const s = seen.slotForHash(l.id, hash, k.key);
    let tag: string | undefined;
    if (seen.added) {
      // One regex match tells both whether the ID parses and its tag; parse() only names the failing field.
      const ok = d.tagField === null ? d.codec.test(l.id) : (tag = d.codec.field(l.id, d.tagField)) !== undefined;
      if (ok) d.parsed++;
      else {
        seen.mark(s, MALFORMED);
        const why = l.parsed.ok ? 'does not match the regex' : l.parsed.error.message;
        this.buckets.add('pattern', l.domain, 'parse', l.id, owner < 0 ? [] : [owner], `${why} (key ${JSON.stringify(k.key)})`);
      }
    }
    if (inName) this.observeName(l, s, owner, k);
    if (owner < 0 || d.ownerDomain) return;
    const held = seen.owner(s);
    if (held < 0) seen.setOwner(s, owner);
    // The ID under the owner that first held it again: its tag was checked for that owner then,
    // against tag slots that never change, so checking again would find the same.
    else if (held === owner) return;
    else if (!seen.has(s, MULTI)) {
      seen.mark(s, MULTI);
      this.buckets.add('multi-owner', l.domain, 'scan', l.id, [held, owner], `held by ${JSON.stringify(this.users[held])} (key ${JSON.stringify(seen.key(s))}) and ${JSON.stringify(this.users[owner])} (key ${JSON.stringify(k.key)})`);
    }
    if (d.tagField === null || seen.has(s, MALFORMED)) return;
    tag ??= d.codec.field(l.id, d.tagField)!;
    const byTag = d.tags;
    const t = byTag.slotFor(tag, l.id);
    if (byTag.added) {
      byTag.setOwner(t, owner);
      return;
    }
    const firstOwner = byTag.owner(t);
    if (firstOwner === owner || byTag.keyIs(t, l.id)) return;
    const firstId = byTag.key(t);
    // The same ID under another owner is a multi-owner ID, reported above; a shared tag is another ID.
    if (!this.tagReported.has(`${l.domain}\u0000${tag}\u0000${owner}`)) {
      this.tagReported.add(`${l.domain}\u0000${tag}\u0000${owner}`);
      this.buckets.add('isolation', l.domain, 'shared-user-tag', l.id, [firstOwner, owner], `tag ${JSON.stringify(tag)} stands for users ${JSON.stringify(this.users[firstOwner])} (${JSON.stringify(firstId)}) and ${JSON.stringify(this.users[owner])}`);
    }
  }

  /** The index of key space `space`, numbering it on first sight. */
  private spaceIndex(space: string): number {
    let i = this.spaces.get(space);
    if (i === undefined) {
      i = this.spaces.size;
      this.spaces.set(space, i);
    }
    return i;
  }

  /** The key space index of the key being observed, computed once per key and only when asked. */
  private currentSpace(k: ObservedKey): number {
    if (this.current < 0) this.current = this.spaceIndex(k.keySpace ?? this.options.keySpaceOf?.(k.key) ?? k.key);
    return this.current;
  }

  /**
   * An ID named by key `k`: a duplicate when another key of the same key space named it. The
   * first key naming an ID is kept with it; key spaces are worked out only once a second key
   * names it ({@link NAMED}: named, key space not yet known).
   */
  private observeName(l: LocatedId, s: number, owner: number, k: ObservedKey): void {
    const seen = this.seen;
    const key = k.key;
    let firstSpace = seen.space(s);
    if (firstSpace === NEVER_NAMED) {
      seen.setSpace(s, NAMED, key);
      return;
    }
    const firstKey = seen.key(s);
    if (firstKey === key || seen.has(s, DUP)) return;
    if (firstSpace === NAMED) {
      firstSpace = this.spaceIndex(this.options.keySpaceOf?.(firstKey) ?? firstKey);
      seen.setSpace(s, firstSpace, firstKey);
    }
    const space = this.currentSpace(k);
    const dupKey = firstSpace === space ? firstKey : seen.firstKeyIn(s, space, key);
    if (dupKey !== undefined && dupKey !== key) {
      seen.mark(s, DUP);
      const owners = [seen.owner(s), owner].filter((o, i, a) => o >= 0 && a.indexOf(o) === i);
      this.buckets.add('duplicate', l.domain, 'key-space', l.id, owners, `names keys ${JSON.stringify(dupKey)} and ${JSON.stringify(key)} of one key space`);
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
        const ok = this.perDomain.get(domain!)?.parsed ?? 0;
        return `${domain}: ${count} ID(s) do not parse under the ${domain} spec${ok > 0 ? `; ${ok} others do parse, so the store holds two layouts` : ''}`;
      },
      (kind, domain) => (kind === 'pattern' && domain !== undefined ? { parsed: this.perDomain.get(domain)?.parsed ?? 0, regex: this.options.catalog.codec(domain).regex } : {}),
    );
  }
}

/**
 * What the scan remembers of each distinct ID, as columns rather than one object per ID: an
 * open-addressing table of (32-bit hash, slot + 1) pairs finds an ID's slot, and typed arrays
 * indexed by the slot hold its first owner, first key space and reported findings; the ID and the
 * first key naming it are kept as strings (a slot is confirmed by comparing the ID itself, so a
 * hash collision never merges two IDs). A million-key scan holds two million IDs: a
 * `Map<string, object>` cost it about 2.5 µs per ID in lookups, allocation and GC.
 */
export class SeenIds {
  private mask: number;
  /** Pairs (hash, slot + 1); slot + 1 = 0 marks an empty cell. */
  private table: Int32Array;
  private owners: Int32Array;
  private spaces: Int32Array;
  private flags: Uint8Array;
  private readonly ids: string[] = [];
  private readonly keys: string[] = [];
  /** Slot → further key spaces naming the ID (space → first key), rarely needed. */
  private readonly more = new Map<number, Map<number, string>>();
  /** Where {@link touch} leaves what it read, so the reads are not optimized away. */
  sink = 0;
  /** True when the last {@link slotFor} added the ID. */
  added = false;

  /**
   * @param expected IDs expected (a hint, capped at 2^23): the table starts big enough for them, so
   * it is not rebuilt on the way — each rebuild rehashes every ID into a table twice the size.
   */
  constructor(expected = 1024) {
    const ids = Math.min(1 << 23, Math.max(1024, 2 ** Math.ceil(Math.log2(Math.max(1, expected)))));
    this.mask = 2 * ids - 1;
    this.table = new Int32Array(4 * ids);
    this.owners = new Int32Array(ids);
    this.spaces = new Int32Array(ids);
    this.flags = new Uint8Array(ids);
  }

  /** Distinct IDs held. */
  get size(): number {
    return this.ids.length;
  }

  /**
   * The slot of `id`, adding it (no owner, no key space, `key` as its first key) when it is new;
   * {@link added} says which.
   */
  slotFor(id: string, key: string): number {
    return this.slotForHash(id, hashString(id), key);
  }

  /** {@link slotFor} with `h` = `hashString(id)` already computed. */
  slotForHash(id: string, h: number, key: string): number {
    const table = this.table;
    let i = h & this.mask;
    for (;;) {
      const e = table[2 * i + 1]!;
      if (e === 0) break;
      if (table[2 * i] === h && this.ids[e - 1] === id) {
        this.added = false;
        return e - 1;
      }
      i = (i + 1) & this.mask;
    }
    const slot = this.ids.length;
    this.ids.push(id);
    this.keys.push(key);
    if (slot === this.owners.length) this.growColumns();
    this.owners[slot] = -1;
    this.spaces[slot] = -1;
    this.flags[slot] = 0;
    table[2 * i] = h;
    table[2 * i + 1] = slot + 1;
    if (2 * this.ids.length > this.mask) this.growTable();
    this.added = true;
    return slot;
  }

  /**
   * Reads the table cells of `hashes[0…n)`, so that {@link slotForHash} on them soon after finds
   * them in cache: a tight loop of independent reads, whose cache misses the CPU overlaps.
   */
  touch(hashes: Int32Array, n: number): void {
    const table = this.table;
    const mask = this.mask;
    let x = 0;
    for (let i = 0; i < n; i++) x |= table[2 * (hashes[i]! & mask) + 1]!;
    this.sink = x;
  }

  owner(slot: number): number {
    return this.owners[slot]!;
  }

  setOwner(slot: number, owner: number): void {
    this.owners[slot] = owner;
  }

  space(slot: number): number {
    return this.spaces[slot]!;
  }

  /** Sets the first key space naming the ID, and that key. */
  setSpace(slot: number, space: number, key: string): void {
    this.spaces[slot] = space;
    this.keys[slot] = key;
  }

  /** The first key seen holding the ID (the first naming it, once a key space is set). */
  key(slot: number): string {
    return this.keys[slot]!;
  }

  keyIs(slot: number, key: string): boolean {
    return this.keys[slot] === key;
  }

  /** True when `flag` was set for the slot. */
  has(slot: number, flag: number): boolean {
    return (this.flags[slot]! & flag) !== 0;
  }

  mark(slot: number, flag: number): void {
    this.flags[slot]! |= flag;
  }

  /** The first key of key space `space` (not the ID's first space) naming the ID; records `key` when there is none yet. */
  firstKeyIn(slot: number, space: number, key: string): string | undefined {
    let m = this.more.get(slot);
    if (m === undefined) {
      m = new Map();
      this.more.set(slot, m);
    }
    const first = m.get(space);
    if (first === undefined) m.set(space, key);
    return first;
  }

  private growColumns(): void {
    const n = this.owners.length * 2;
    const owners = new Int32Array(n);
    owners.set(this.owners);
    const spaces = new Int32Array(n);
    spaces.set(this.spaces);
    const flags = new Uint8Array(n);
    flags.set(this.flags);
    this.owners = owners;
    this.spaces = spaces;
    this.flags = flags;
  }

  private growTable(): void {
    const old = this.table;
    const cells = old.length; // twice the old cell count
    const mask = cells - 1;
    const table = new Int32Array(2 * cells);
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] === 0) continue;
      let k = old[j]! & mask;
      while (table[2 * k + 1] !== 0) k = (k + 1) & mask;
      table[2 * k] = old[j]!;
      table[2 * k + 1] = old[j + 1]!;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** FNV-1a over UTF-16 code units with a final mix; a 32-bit signed integer. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h | 0;
}

import type { IdView, ObservedBatch } from '../model/index.js';

/** A target's answers (validator, parser) for each ID of a batch, packed for the copy to the check thread. */
export interface PackedAnswers {
  /** Per ID: 0 rejected, 1 accepted (absent: no validator). */
  readonly valid?: Uint8Array;
  /**
   * Per ID, the parser's view as codes: bits 0–1 the type (0 unrecognised, 1 the batch's domain,
   * 2 other), bits 2–3 the owner (0 none, 1 the minting user, 2 `ownerTable[ownerIndex[i]]`),
   * bits 4–5 the parent (0 none, 1 the real parent, 2 other). Absent: no parser.
   */
  readonly viewCodes?: Uint8Array;
  /** Owners read out that are not the minting user (a user tag, another user), each once. */
  readonly ownerTable?: readonly string[];
  readonly ownerIndex?: Uint32Array;
  /** Whole views whose type or parent is coded "other", by ID position. */
  readonly others?: Readonly<Record<number, IdView>>;
}

/** An {@link ObservedBatch} as sent to the check thread. */
export interface PackedObservedBatch extends Omit<ObservedBatch, 'valid' | 'views' | 'peer'> {
  readonly answers: PackedAnswers;
  readonly peer?: { readonly target: string; readonly answers: PackedAnswers };
}

function packAnswers(o: ObservedBatch, valid: readonly boolean[] | undefined, views: readonly (IdView | null)[] | undefined, users: readonly string[]): PackedAnswers {
  const n = o.batch.ids.length;
  const out: { valid?: Uint8Array; viewCodes?: Uint8Array; ownerTable?: string[]; ownerIndex?: Uint32Array; others?: Record<number, IdView> } = {};
  if (valid !== undefined) {
    const v = new Uint8Array(n);
    for (let i = 0; i < n; i++) v[i] = valid[i] === true ? 1 : 0;
    out.valid = v;
  }
  if (views !== undefined) {
    const codes = new Uint8Array(n);
    const others: Record<number, IdView> = {};
    let anyOther = false;
    const table = new Map<string, number>();
    let index: Uint32Array | undefined;
    for (let i = 0; i < n; i++) {
      const view = views[i];
      if (view === null || view === undefined) continue;
      const type = view.type === o.batch.domain ? 1 : 2;
      const parent = view.parent === undefined ? 0 : o.parents !== undefined && view.parent === o.parents[i] ? 1 : 2;
      if (type === 2 || parent === 2) {
        others[i] = view;
        anyOther = true;
        continue;
      }
      let owner = 0;
      if (view.owner !== undefined) {
        owner = view.owner === users[o.batch.owners[i]!] ? 1 : 2;
        if (owner === 2) {
          let k = table.get(view.owner);
          if (k === undefined) table.set(view.owner, (k = table.size));
          index ??= new Uint32Array(n);
          index[i] = k;
        }
      }
      codes[i] = type | (owner << 2) | (parent << 4);
    }
    out.viewCodes = codes;
    if (index !== undefined) {
      out.ownerTable = [...table.keys()];
      out.ownerIndex = index;
    }
    if (anyOther) out.others = others;
  }
  return out;
}

function unpackAnswers(p: PackedObservedBatch, a: PackedAnswers, users: readonly string[]): { valid?: boolean[]; views?: (IdView | null)[] } {
  const n = p.batch.ids.length;
  const out: { valid?: boolean[]; views?: (IdView | null)[] } = {};
  if (a.valid !== undefined) out.valid = Array.from(a.valid, (v) => v === 1);
  if (a.viewCodes !== undefined) {
    const views: (IdView | null)[] = new Array<IdView | null>(n);
    for (let i = 0; i < n; i++) {
      const c = a.viewCodes[i]!;
      const other = a.others?.[i];
      if (other !== undefined) views[i] = other;
      else if ((c & 3) === 0) views[i] = null;
      else {
        const view: { type: string; owner?: string; parent?: string } = { type: p.batch.domain };
        const owner = (c >> 2) & 3;
        if (owner === 1) view.owner = users[p.batch.owners[i]!]!;
        else if (owner === 2) view.owner = a.ownerTable![a.ownerIndex![i]!]!;
        if (((c >> 4) & 3) === 1) view.parent = p.parents![i]!;
        views[i] = view;
      }
    }
    out.views = views;
  }
  return out;
}

/**
 * Packs a batch for the check thread. The target's views are most of what a structured clone
 * copies (two thirds of it, measured: one object per ID), yet nearly every view only repeats what
 * the batch already says — its domain, the minting user or a tag of a few per batch, the real
 * parent — so they travel as a code byte per ID, owner strings once each, and whole only where the
 * type or parent is something else. Lossless for what an {@link IdView} holds:
 * {@link unpackObserved} gives back an equal batch.
 */
export function packObserved(o: ObservedBatch, users: readonly string[]): PackedObservedBatch {
  const { valid, views, peer, ...rest } = o;
  return {
    ...rest,
    answers: packAnswers(o, valid, views, users),
    ...(peer === undefined ? {} : { peer: { target: peer.target, answers: packAnswers(o, peer.valid, peer.views, users) } }),
  };
}

/** The batch {@link packObserved} packed. */
export function unpackObserved(p: PackedObservedBatch, users: readonly string[]): ObservedBatch {
  const { answers, peer, ...rest } = p;
  return {
    ...rest,
    ...unpackAnswers(p, answers, users),
    ...(peer === undefined ? {} : { peer: { target: peer.target, ...unpackAnswers(p, peer.answers, users) } }),
  };
}

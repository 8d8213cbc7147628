import type { DomainName, Finding } from '../model/index.js';
import type { Check, CheckContext, CheckedBatch } from './check.js';
import { bitsNeeded, collisionProbability, volumeAtRisk } from './collision-projection.js';
import { estimateFieldEntropy, type FieldEntropy } from './field-entropy.js';
import { FieldSample } from './field-sample.js';
import { DEFAULT_ENTROPY_OPTIONS, type EntropyOptions } from './entropy-options.js';
import type { EntropyRow } from './entropy-row.js';

/** Fewer values than this give no estimate (and no finding). */
const MIN_VALUES = 100;
/** Trailing-token lengths tracked per domain; IDs of further lengths are left out. */
const MAX_TOKEN_LAYOUTS = 4;

/** The entropy check, which also hands out its per-domain table for reports. */
export interface EntropyCheck extends Check {
  /** Every domain and layout estimated, passing or not (computed on the first call of this or `findings`). */
  table(): EntropyRow[];
}

interface Source {
  readonly domain: DomainName;
  readonly layout: string;
  readonly fields: { readonly name: string; readonly sample: FieldSample; readonly claimed?: number }[];
  readonly ids: string[];
  readonly owners: number[];
}

function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function fmt(n: number): string {
  return n >= 1e6 || (n > 0 && n < 1e-3) ? n.toExponential(2) : String(Math.round(n * 100) / 100);
}

function resolveOptions(o: Partial<EntropyOptions> | undefined): EntropyOptions {
  const r = { ...DEFAULT_ENTROPY_OPTIONS, ...o };
  const ok = r.volumePerDay > 0 && r.days > 0 && r.threshold > 0 && r.threshold < 1 && Number.isInteger(r.sampleSize) && r.sampleSize >= 2 && Number.isInteger(r.maxObservedPerDomain) && r.maxObservedPerDomain >= r.sampleSize;
  if (!ok) throw new RangeError(`entropyCheck: bad options ${JSON.stringify(r)}; use volumePerDay > 0, days > 0, 0 < threshold < 1, a whole sampleSize ≥ 2 and a whole maxObservedPerDomain ≥ sampleSize`);
  return r;
}

/**
 * `entropy`: estimates, from the IDs alone, the min-entropy each domain's IDs carry, and projects
 * it to the configured production volume (default 10⁹ IDs per domain per day for 365 days) with
 * the birthday bound; where even the estimate's z = 5 upper bound leaves the chance of any
 * collision above the threshold (default 10⁻⁶), a finding prints the estimate, the bits needed and
 * the volume at which the risk is reached.
 *
 * What is estimated: the catalog's random fields of IDs that parse (never the spec's claim;
 * counters, timestamps and user tags count for nothing); for IDs that do not parse, the token
 * after the last separator, per token length, with the alphabet it shows — the spec cannot say
 * where their randomness is, and a trailing token is where ID systems put it (an ID whose random
 * part is elsewhere is under-credited, so such a finding names the layout `token:<n>`). See
 * {@link estimateFieldEntropy} for the estimators. Memory per domain is bounded by the reservoir
 * (`sampleSize` values) and per-position counts.
 */
export function entropyCheck(context: CheckContext): EntropyCheck {
  const options = resolveOptions(context.entropy);
  const sources = new Map<string, Source>();
  const tokenLayouts = new Map<DomainName, number>();
  let rows: EntropyRow[] | undefined;

  const source = (domain: DomainName, layout: string, make: () => Source['fields']): Source => {
    const key = `${domain}\u0000${layout}`;
    let s = sources.get(key);
    if (s === undefined) {
      s = { domain, layout, fields: make(), ids: [], owners: [] };
      sources.set(key, s);
    }
    return s;
  };
  const observedIds = new Map<string, number>();
  const note = (s: Source, id: string, owner: number) => {
    if (s.ids.length < context.maxExamples) {
      s.ids.push(id);
      s.owners.push(owner);
    }
  };

  function observe({ batch, parsed }: CheckedBatch): void {
    const seenBefore = observedIds.get(batch.domain) ?? 0;
    const take = Math.min(batch.ids.length, options.maxObservedPerDomain - seenBefore);
    if (take <= 0) return;
    observedIds.set(batch.domain, seenBefore + take);
    const codec = context.catalog.has(batch.domain) ? context.catalog.codec(batch.domain) : undefined;
    const separator = codec?.spec.separator ?? '_';
    const randoms = codec?.spec.fields.flatMap((f) => (f.kind === 'random' ? [f] : [])) ?? [];
    const spec =
      randoms.length === 0
        ? undefined
        : source(batch.domain, 'spec', () => randoms.map((f) => ({ name: f.name, claimed: f.bits, sample: new FieldSample({ length: f.length, alphabet: f.alphabet, sampleSize: options.sampleSize, seed: seedOf(`${batch.domain}/${f.name}`) }) })));
    for (const f of spec?.fields ?? []) f.sample.startBatch();
    const started = new Set<Source>();
    for (let i = 0; i < take; i++) {
      const r = parsed?.[i];
      const id = batch.ids[i]!;
      if (r?.ok === true) {
        if (spec === undefined) continue;
        for (const f of spec.fields) f.sample.add(r.value.fields[f.name]!, id);
        note(spec, id, batch.owners[i]!);
        continue;
      }
      const token = id.slice(id.lastIndexOf(separator) + 1);
      if (token.length === 0) continue;
      const layout = `token:${token.length}`;
      if (!sources.has(`${batch.domain}\u0000${layout}`)) {
        const n = tokenLayouts.get(batch.domain) ?? 0;
        if (n >= MAX_TOKEN_LAYOUTS) continue;
        tokenLayouts.set(batch.domain, n + 1);
      }
      const s = source(batch.domain, layout, () => [{ name: 'trailing token', sample: new FieldSample({ length: token.length, sampleSize: options.sampleSize, seed: seedOf(`${batch.domain}/${layout}`) }) }]);
      if (!started.has(s)) {
        started.add(s);
        s.fields[0]!.sample.startBatch();
      }
      s.fields[0]!.sample.add(token, id);
      note(s, id, batch.owners[i]!);
    }
  }

  function table(): EntropyRow[] {
    if (rows !== undefined) return rows;
    const volume = options.volumePerDay * options.days;
    const needed = bitsNeeded(volume, options.threshold);
    rows = [];
    for (const s of sources.values()) {
      const seen = Math.min(...s.fields.map((f) => f.sample.seen));
      if (seen < MIN_VALUES) continue;
      const details: Record<string, FieldEntropy> = {};
      let lower = 0;
      let point = 0;
      let upper = 0;
      for (const f of s.fields) {
        const e = estimateFieldEntropy(f.sample);
        details[f.name] = e;
        lower += e.bits.lower;
        point += e.bits.point;
        upper += e.bits.upper;
      }
      const claimed = s.fields.every((f) => f.claimed !== undefined) ? s.fields.reduce((n, f) => n + f.claimed!, 0) : undefined;
      const atRisk = volumeAtRisk(point, options.threshold);
      rows.push({
        domain: s.domain,
        layout: s.layout,
        fields: s.fields.map((f) => f.name),
        ids: seen,
        estimatedBits: point,
        lowerBits: lower,
        upperBits: upper,
        claimedBits: claimed,
        bitsNeeded: needed,
        volume,
        threshold: options.threshold,
        probability: collisionProbability(volume, point),
        probabilityAtUpper: collisionProbability(volume, upper),
        volumeAtRisk: atRisk,
        daysAtRisk: atRisk / options.volumePerDay,
        failed: upper < needed,
        details,
      });
    }
    return rows;
  }

  function findings(): Finding[] {
    return table()
      .filter((r) => r.failed)
      .map((r) => {
        const s = sources.get(`${r.domain}\u0000${r.layout}`)!;
        const where = r.layout === 'spec' ? `its ${r.fields.join(' and ')} field${r.fields.length > 1 ? 's' : ''}` : `the trailing ${r.layout.slice(6)}-character token of IDs that do not parse`;
        const claim = r.claimedBits === undefined ? '' : `; the spec claims ${fmt(r.claimedBits)}`;
        return {
          kind: 'entropy' as const,
          domain: r.domain,
          rule: r.layout === 'spec' ? 'spec-fields' : 'trailing-token',
          source: 'entropy',
          message:
            `${r.domain}: ${where} carr${r.fields.length > 1 ? 'y' : 'ies'} about ${fmt(r.estimatedBits)} bits of min-entropy per ID (at most ${fmt(r.upperBits)} by the data${claim}), ` +
            `but ${fmt(r.bitsNeeded)} are needed to keep the chance of any collision among ${fmt(r.volume)} IDs (${fmt(options.volumePerDay)}/day × ${fmt(options.days)} days) below ${fmt(r.threshold)}: ` +
            `the projected chance is ${fmt(r.probability)}, and the risk is reached after ${fmt(r.volumeAtRisk)} IDs (${fmt(r.daysAtRisk)} days)`,
          ids: s.ids,
          owners: [...new Set(s.owners)],
          evidence: {
            estimatedBits: r.estimatedBits,
            lowerBits: r.lowerBits,
            upperBits: r.upperBits,
            claimedBits: r.claimedBits,
            bitsNeeded: r.bitsNeeded,
            volume: r.volume,
            probability: r.probability,
            volumeAtRisk: r.volumeAtRisk,
            daysAtRisk: r.daysAtRisk,
            row: r,
          },
          replay: context.replay?.('entropy', r.domain),
        };
      });
  }

  return { name: 'entropy', observe, findings, table };
}

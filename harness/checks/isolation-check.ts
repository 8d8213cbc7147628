import type { DomainName } from '../model/index.js';
import type { Check, CheckContext, CheckedBatch } from './check.js';
import { ExampleSink } from './example-sink.js';

/** Tags tracked per domain before the check stops adding new ones (a target minting a new tag per ID). */
const MAX_TAGS = 1_000_000;

/**
 * `isolation` from the IDs alone: no user tag is shared by two users (a tag made of the first
 * 8 characters of the user ID is, for every `google-oauth2|…` user) — read by the spec and,
 * independently, by the target's own parser (the owner it reads out), so a target whose
 * layout the spec does not know is still caught — and a counter that promises to count per
 * user starts at the same value for every user (one counter shared across users leaks how many
 * IDs the others got). Cleanup and routing isolation need the
 * golden-path flow and live in their own checks.
 */
export function isolationCheck(context: CheckContext): Check {
  const sink = new ExampleSink('isolation', 'isolation', context);
  const tags = new Map<DomainName, Map<string, number>>();
  const reported = new Set<string>();
  const counterMin = new Map<DomainName, Map<number, { min: bigint; id: string }>>();
  return {
    name: 'isolation',
    observe({ batch, parsed, views }: CheckedBatch) {
      if (views !== undefined) {
        // The target's own reading of the owner: two users read as one owner share a context.
        const byOwner = tags.get(`${batch.domain}\u0000view`) ?? new Map<string, number>();
        tags.set(`${batch.domain}\u0000view`, byOwner);
        for (let i = 0; i < batch.ids.length; i++) {
          const read = views[i]?.owner;
          if (read === undefined) continue;
          const owner = batch.owners[i]!;
          const first = byOwner.get(read);
          if (first === undefined) {
            if (byOwner.size < MAX_TAGS) byOwner.set(read, owner);
          } else if (first !== owner && !reported.has(`${batch.domain}\u0000view\u0000${read}\u0000${owner}`)) {
            reported.add(`${batch.domain}\u0000view\u0000${read}\u0000${owner}`);
            sink.add(batch.domain, 'shared-owner', batch.ids[i]!, owner, `the target's parser reads owner ${JSON.stringify(read)} for users ${JSON.stringify(context.users[first])} and ${JSON.stringify(context.users[owner])}`);
          }
        }
      }
      if (parsed === undefined) return;
      const codec = context.catalog.codec(batch.domain);
      const tagField = codec.spec.fields.find((f) => f.kind === 'user-tag')?.name;
      const counterField = codec.spec.fields.find((f) => f.kind === 'counter' && f.scope === 'user')?.name;
      if (tagField === undefined && counterField === undefined) return;
      const byTag = tags.get(batch.domain) ?? new Map<string, number>();
      tags.set(batch.domain, byTag);
      const mins = counterMin.get(batch.domain) ?? new Map<number, { min: bigint; id: string }>();
      counterMin.set(batch.domain, mins);
      for (let i = 0; i < batch.ids.length; i++) {
        const r = parsed[i]!;
        if (!r.ok) continue; // the pattern check reports it
        const owner = batch.owners[i]!;
        if (tagField !== undefined) {
          const tag = r.value.fields[tagField]!;
          const first = byTag.get(tag);
          if (first === undefined) {
            if (byTag.size < MAX_TAGS) byTag.set(tag, owner);
          } else if (first !== owner && !reported.has(`${batch.domain}\u0000${tag}\u0000${owner}`)) {
            reported.add(`${batch.domain}\u0000${tag}\u0000${owner}`);
            sink.add(batch.domain, 'shared-user-tag', batch.ids[i]!, owner, `tag ${JSON.stringify(tag)} stands for users ${JSON.stringify(context.users[first])} and ${JSON.stringify(context.users[owner])}`);
          }
        }
        if (counterField !== undefined) {
          const value = BigInt(r.value.fields[counterField]!);
          const m = mins.get(owner);
          if (m === undefined || value < m.min) mins.set(owner, { min: value, id: batch.ids[i]! });
        }
      }
    },
    findings() {
      for (const [domain, mins] of counterMin) {
        if (mins.size < 2) continue;
        // The base is the start most users share; users starting elsewhere see others' activity.
        const votes = new Map<bigint, number>();
        for (const { min } of mins.values()) votes.set(min, (votes.get(min) ?? 0) + 1);
        const base = [...votes].sort((a, b) => b[1] - a[1])[0]![0];
        for (const [owner, { min, id }] of mins) {
          if (min !== base) sink.add(domain, 'shared-counter', id, owner, `user ${JSON.stringify(context.users[owner])}'s per-user counter starts at ${min}, most users' at ${base}`);
        }
      }
      const what: Record<string, string> = {
        'shared-user-tag': 'carry a user tag that another user also carries',
        'shared-counter': "carry a per-user counter that starts where other users' activity left it",
        'shared-owner': "are read by the target's own parser as belonging to an owner another user also maps to",
      };
      return sink.findings((domain, rule, count) => `${domain}: ${count} ID(s) ${what[rule] ?? rule}`);
    },
  };
}

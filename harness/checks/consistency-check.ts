import type { Check, CheckContext, CheckedBatch } from './check.js';
import { ExampleSink } from './example-sink.js';

/**
 * `consistency`: the target agrees with itself. Its validator accepts every ID it mints; its
 * parser gives each ID the right type, the real parent, and an owner that is the minting user
 * (or the user tag the ID itself carries). With a peer (a second system reading the same IDs),
 * the peer must accept every ID and read it as the minting target does: same type, the real
 * parent, the same owner (rules `peer-*`).
 */
export function consistencyCheck(context: CheckContext): Check {
  const sink = new ExampleSink('consistency', 'consistency', context);
  return {
    name: 'consistency',
    observe({ batch, valid, views, parents, parsed, peer }: CheckedBatch) {
      if (peer !== undefined) {
        for (let i = 0; i < batch.ids.length; i++) {
          const id = batch.ids[i]!;
          const owner = batch.owners[i]!;
          if (peer.valid !== undefined && peer.valid[i] !== true) sink.add(batch.domain, 'peer-validator-rejects', id, owner, `${peer.target}'s validator rejects this ${batch.domain} ID minted by the target`);
          if (peer.views === undefined) continue;
          const pv = peer.views[i];
          if (pv === null || pv === undefined) {
            sink.add(batch.domain, 'peer-parser-unrecognised', id, owner, `${peer.target}'s parser does not recognise this ${batch.domain} ID`);
            continue;
          }
          const mine = views?.[i];
          const differs: string[] = [];
          if (pv.type !== batch.domain) differs.push(`type ${JSON.stringify(pv.type)} (minted as ${batch.domain})`);
          if (parents !== undefined && pv.parent !== parents[i]) differs.push(`parent ${JSON.stringify(pv.parent)} (real ${JSON.stringify(parents[i])})`);
          if (mine !== null && mine !== undefined && pv.owner !== mine.owner) differs.push(`owner ${JSON.stringify(pv.owner)} (the target reads ${JSON.stringify(mine.owner)})`);
          if (differs.length > 0) sink.add(batch.domain, 'peer-reads-differently', id, owner, `${peer.target} reads ${differs.join(', ')}`);
        }
      }
      const codec = context.catalog.has(batch.domain) ? context.catalog.codec(batch.domain) : undefined;
      const tagField = codec?.spec.fields.find((f) => f.kind === 'user-tag')?.name;
      for (let i = 0; i < batch.ids.length; i++) {
        const id = batch.ids[i]!;
        const owner = batch.owners[i]!;
        if (valid !== undefined && valid[i] !== true) sink.add(batch.domain, 'validator-rejects', id, owner, `the target's validator rejects its own ${batch.domain} ID`);
        if (views === undefined) continue;
        const v = views[i];
        if (v === null || v === undefined) {
          sink.add(batch.domain, 'parser-unrecognised', id, owner, `the target's parser does not recognise its own ${batch.domain} ID`);
          continue;
        }
        if (v.type !== batch.domain) sink.add(batch.domain, 'parser-type', id, owner, `the target's parser says ${JSON.stringify(v.type)}, minted as ${batch.domain}`);
        if (parents !== undefined && v.parent !== parents[i]) {
          sink.add(batch.domain, 'parser-parent', id, owner, `the target's parser reads parent ${JSON.stringify(v.parent)}, real ${JSON.stringify(parents[i])}`);
        }
        if (v.owner !== undefined && v.owner !== context.users[owner]) {
          const r = parsed?.[i];
          const tag = r?.ok === true && tagField !== undefined ? r.value.fields[tagField] : undefined;
          if (v.owner !== tag) sink.add(batch.domain, 'parser-owner', id, owner, `the target's parser reads owner ${JSON.stringify(v.owner)}, minted for ${JSON.stringify(context.users[owner])}`);
        }
      }
    },
    findings() {
      const what: Record<string, string> = {
        'validator-rejects': "rejected by the target's own validator",
        'parser-unrecognised': "not recognised by the target's own parser",
        'parser-type': "given the wrong type by the target's own parser",
        'parser-parent': "given the wrong parent by the target's own parser",
        'parser-owner': "given the wrong owner by the target's own parser",
        'peer-validator-rejects': "rejected by the peer system's validator",
        'peer-parser-unrecognised': "not recognised by the peer system's parser",
        'peer-reads-differently': 'read differently by the peer system (type, parent or owner)',
      };
      return sink.findings((domain, rule, count) => `${domain}: ${count} ID(s) ${what[rule] ?? rule}`);
    },
  };
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdBatch, type ObservedBatch } from '../model/index.js';
import { packObserved, unpackObserved } from './observed-wire.js';

const users = ['alice', 'bob', 'google-oauth2|1', 'google-oauth2|2'];

/** Batches whose answers mix the common case (a view repeating the batch) with every odd one. */
const observed: fc.Arbitrary<ObservedBatch> = fc.integer({ min: 0, max: 30 }).chain((n) =>
  fc
    .record({
      owners: fc.array(fc.nat({ max: users.length - 1 }), { minLength: n, maxLength: n }),
      parents: fc.option(fc.array(fc.constantFrom('thread_a', 'thread_b'), { minLength: n, maxLength: n }), { nil: undefined }),
      valid: fc.option(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { nil: undefined }),
      views: fc.option(
        fc.array(
          fc.option(
            fc.record(
              { type: fc.constantFrom<string | null>('run', 'thread', null), owner: fc.constantFrom('alice', 'bob', 'mallory', 'a1b2c3'), parent: fc.constantFrom('thread_a', 'thread_b', 'thread_x') },
              { requiredKeys: ['type'] },
            ),
            { nil: null },
          ),
          { minLength: n, maxLength: n },
        ),
        { nil: undefined },
      ),
      peer: fc.option(fc.record({ target: fc.constant('peer'), valid: fc.array(fc.boolean(), { minLength: n, maxLength: n }) }), { nil: undefined }),
    })
    .map(({ owners, parents, valid, views, peer }) => {
      const batch = createIdBatch({ batchId: 'b1', domain: 'run', ids: owners.map((_, i) => `run_${i}`), owners });
      const o: ObservedBatch = {
        batch,
        target: 'reference',
        ...(parents === undefined ? {} : { parents, parentDomain: 'thread' }),
        ...(valid === undefined ? {} : { valid }),
        ...(views === undefined ? {} : { views }),
        ...(peer === undefined ? {} : { peer }),
      };
      return o;
    }),
);

describe('packObserved', () => {
  it('is undone by unpackObserved, whatever the target answered', () => {
    fc.assert(
      fc.property(observed, (o) => {
        const back = unpackObserved(structuredClone(packObserved(o, users)), users);
        expect(back).toEqual(o);
      }),
      { numRuns: 300 },
    );
  });

  it('sends a view that repeats the batch as one code byte', () => {
    const batch = createIdBatch({ batchId: 'b', domain: 'run', ids: ['run_1', 'run_2'], owners: [0, 1] });
    const packed = packObserved({ batch, target: 't', parents: ['thread_a', 'thread_b'], views: [{ type: 'run', owner: 'alice', parent: 'thread_a' }, { type: 'run', owner: 'bob', parent: 'thread_b' }] }, users);
    expect(packed.answers.others).toBeUndefined();
    expect([...packed.answers.viewCodes!]).toEqual([1 | (1 << 2) | (1 << 4), 1 | (1 << 2) | (1 << 4)]);
  });
});

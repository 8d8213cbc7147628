import { describe, expect, it } from 'vitest';
import { createIdBatch, exitCodeFor, ExitCode, UsageError, type Finding } from './index.js';

describe('createIdBatch', () => {
  it('fills default columns, one entry per ID', () => {
    const b = createIdBatch({ batchId: 'b1', domain: 'run', ids: ['a', 'b', 'c'], owners: 7, worker: 3 });
    expect([...b.owners]).toEqual([7, 7, 7]);
    expect([...b.workers]).toEqual([3, 3, 3]);
    expect([...b.sequences]).toEqual([0, 1, 2]);
    expect(b.times.length).toBe(3);
  });

  it('rejects a lone surrogate, naming domain, batch and position', () => {
    const make = () => createIdBatch({ batchId: 'b9', domain: 'thread', ids: ['ok', 'bad_\ud800'], owners: 0 });
    expect(make).toThrow(UsageError);
    expect(make).toThrow(/batch "b9" of domain "thread", position 1/);
  });

  it('rejects lone surrogates that would pair up once IDs are joined', () => {
    expect(() => createIdBatch({ batchId: 'b', domain: 'run', ids: ['x\ud83d', '\ude00y'], owners: 0 })).toThrow(/position 0/);
  });

  it('accepts hostile but well-formed strings unchanged', () => {
    const ids = ['', '\u0000', 'tab\tnl\n', 'emoji_\ud83d\ude00', "'; DROP TABLE x; --"];
    const b = createIdBatch({ batchId: 'b', domain: 'run', ids, owners: [1, 2, 3, 4, 5] });
    expect(b.ids).toEqual(ids);
  });

  it('rejects mismatched columns and bad domains with the fix in the message', () => {
    expect(() => createIdBatch({ batchId: 'b', domain: 'run', ids: ['a', 'b'], owners: [1] })).toThrow(/2 ids but 1 owners/);
    expect(() => createIdBatch({ batchId: 'b', domain: 'Run-Id', ids: [], owners: 0 })).toThrow(/use snake_case/);
    expect(() => createIdBatch({ batchId: '', domain: 'run', ids: [], owners: 0 })).toThrow(/batchId/);
  });
});

describe('exitCodeFor', () => {
  const f = (kind: Finding['kind']): Finding => ({ kind, message: '', ids: [], owners: [], source: 'test', evidence: {} });
  it('is 0 without findings, 1 for target defects, 3 when infrastructure failed', () => {
    expect(exitCodeFor([])).toBe(ExitCode.Pass);
    expect(exitCodeFor([f('duplicate'), f('entropy')])).toBe(ExitCode.Findings);
    expect(exitCodeFor([f('duplicate'), f('infrastructure')])).toBe(ExitCode.Infrastructure);
    expect(exitCodeFor([f('lost-write')])).toBe(ExitCode.Infrastructure);
  });
});

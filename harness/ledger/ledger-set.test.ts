import { describe, expect, it } from 'vitest';
import { createIdBatch, exitCodeFor, ExitCode, UsageError, type IdBatch } from '../model/index.js';
import { LedgerSet, MemoryLedger } from './index.js';

describe('LedgerSet', () => {
  it('validates once, appends to every ledger and returns every verdict', async () => {
    const set = new LedgerSet([new MemoryLedger(), new MemoryLedger()]);
    try {
      await set.append(createIdBatch({ batchId: 'a', domain: 'user', ids: ['x', 'x'], owners: [1, 2] }));
      const bad: IdBatch = { ...createIdBatch({ batchId: 'b', domain: 'user', ids: ['y'], owners: 1 }), ids: ['\ud800'] };
      await expect(set.append(bad)).rejects.toBeInstanceOf(UsageError);
      const { verdicts, findings } = await set.verify();
      expect(verdicts).toHaveLength(2);
      expect(set.acknowledged('memory')).toBe(2);
      expect(set.failed).toBe(false);
      expect(findings.map((f) => f.kind)).toEqual(['duplicate', 'multi-owner', 'duplicate', 'multi-owner']);
      expect(exitCodeFor(findings)).toBe(ExitCode.Findings);
    } finally {
      await set.close();
    }
  });
});

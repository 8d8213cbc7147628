import { describe, expect, it } from 'vitest';
import { createIdBatch, InfrastructureError, UsageError } from '../model/index.js';
import { AppendBook, type AppendTally } from './append-book.js';

const book = () => new AppendBook<AppendTally>('TestLedger', () => ({ appended: 0, acknowledged: 0 }));
const batch = (batchId: string, ids: string[]) => createIdBatch({ batchId, domain: 'run', ids, owners: 0 });

describe('AppendBook', () => {
  it('takes a batch once and counts its IDs as appended before any write', () => {
    const b = book();
    const first = b.admit(batch('b1', ['run_1', 'run_2']));
    expect(first).toEqual({ appended: 2, acknowledged: 0 });
    expect(b.admit(batch('b1', ['run_1', 'run_2']))).toBeUndefined();
    expect(b.admit(batch('b2', ['run_3']))).toBe(first);
    expect(first?.appended).toBe(3);
  });

  it('refuses appends once closed, naming the ledger, and rethrows the failure once broken', async () => {
    const closed = book();
    closed.closed = true;
    expect(() => closed.admit(batch('b', ['run_1']))).toThrow(UsageError);
    expect(() => closed.admit(batch('b', ['run_1']))).toThrow(/^TestLedger\.append: the ledger is closed/);
    const broken = book();
    const failure = new InfrastructureError('IDGATE_TEST', 'TestLedger.append: the store failed', 'restart it');
    broken.broken = failure;
    expect(() => broken.admit(batch('b', ['run_1']))).toThrow(failure);
    await expect(broken.verify(() => Promise.resolve(1), () => failure)).rejects.toBe(failure);
  });

  it('turns a failing verify into the ledger’s infrastructure error', async () => {
    const b = book();
    const infra = (what: string, e: unknown) => new InfrastructureError('IDGATE_TEST', `TestLedger.${what}: ${String(e)}`, 'check the store');
    await expect(b.verify(() => Promise.reject(new Error('connection reset')), infra)).rejects.toThrow(/^TestLedger\.verify: Error: connection reset/);
    await expect(b.verify(() => Promise.resolve(42), infra)).resolves.toBe(42);
  });
});

import { describe, expect, it } from 'vitest';
import { expectNoFindings } from './support/expect-no-findings.js';
import { gateSummary } from './support/findings-for.js';

const s = gateSummary();

describe('run', () => {
  it('the target answered every request: no crash, hang, garbage or wrong count', () => {
    expectNoFindings('target-failure');
  });
  it(`every ledger (${s.ledgers.join(', ')}) held every write and agreed with the others`, () => {
    expectNoFindings(['infrastructure', 'lost-write', 'unexpected']);
  });
  if (s.audit !== undefined) {
    it(`no code under ${s.audit.root} (${s.audit.files} files) mints IDs outside the single generator`, () => {
      expectNoFindings('ssot-bypass');
    });
  }
  it('every streaming check looked at every domain minted', () => {
    expect(s.domains.length).toBeGreaterThan(0);
    for (const [check, seen] of Object.entries(s.checked)) expect([check, [...seen].sort()]).toEqual([check, [...s.domains].sort()]);
  });
});

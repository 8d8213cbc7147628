import { describe, it } from 'vitest';
import { expectNoFindings } from './support/expect-no-findings.js';
import { gateSummary } from './support/findings-for.js';

const { domains } = gateSummary();

describe('uniqueness', () => {
  it.each(domains)('%s: every ID is minted exactly once, within and across domains', (domain) => {
    expectNoFindings('duplicate', domain);
  });
  it.each(domains)('%s: every ID has exactly one owner', (domain) => {
    expectNoFindings('multi-owner', domain);
  });
});

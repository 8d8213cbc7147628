import { describe, it } from 'vitest';
import { expectNoFindings } from './support/expect-no-findings.js';
import { gateSummary } from './support/findings-for.js';

const { domains } = gateSummary();

describe('pattern', () => {
  it.each(domains)('%s: every ID parses under its spec, in one layout, timestamps in order', (domain) => {
    expectNoFindings('pattern', domain);
  });
});

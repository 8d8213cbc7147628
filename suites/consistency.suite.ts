import { describe, it } from 'vitest';
import { expectNoFindings } from './support/expect-no-findings.js';
import { gateSummary } from './support/findings-for.js';

const { domains } = gateSummary();

describe('consistency', () => {
  it.each(domains)("%s: the target's own validator accepts, and its parser reads right, every ID it mints", (domain) => {
    expectNoFindings('consistency', domain);
  });
});

import { describe, it } from 'vitest';
import { defaultCatalog } from '../harness/spec/index.js';
import { expectNoFindings } from './support/expect-no-findings.js';
import { gateSummary } from './support/findings-for.js';

const { domains } = gateSummary();
const catalog = defaultCatalog();
const random = domains.filter((d) => catalog.has(d) && catalog.codec(d).spec.fields.some((f) => f.kind === 'random'));

describe('entropy', () => {
  it.each(random)('%s: the randomness its IDs show keeps a collision unlikely at production volume', (domain) => {
    expectNoFindings('entropy', domain);
  });
});

import { describe, it } from 'vitest';
import { defaultCatalog } from '../harness/spec/index.js';
import { expectNoFindings } from './support/expect-no-findings.js';
import { gateSummary } from './support/findings-for.js';

const { domains } = gateSummary();
const children = defaultCatalog()
  .relations.filter((r) => r.kind === 'embeds' && domains.includes(r.from))
  .map((r) => [r.from, r.to] as const);

describe('relation', () => {
  it.each(children)('%s: the %s read out of every ID, by the spec and by every rule the target declares, is the real one', (child) => {
    expectNoFindings('relation', child);
  });
});

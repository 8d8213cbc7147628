import { describe, it } from 'vitest';
import { defaultCatalog } from '../harness/spec/index.js';
import { expectNoFindings } from './support/expect-no-findings.js';
import { gateSummary } from './support/findings-for.js';

const { domains } = gateSummary();
const catalog = defaultCatalog();
const userScoped = domains.filter((d) => catalog.has(d) && catalog.codec(d).spec.fields.some((f) => f.kind === 'user-tag' || (f.kind === 'counter' && f.scope === 'user')));

describe('isolation', () => {
  it.each(userScoped)('%s: no user tag or per-user counter is shared between users', (domain) => {
    expectNoFindings('isolation', domain);
  });
});

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { auditTree, baselineOf, compareBaseline, formatSarif } from '../harness/audit/index.js';

// ajv ships CommonJS with `exports.default`; require() gives the same object under Node and vitest.
const require = createRequire(import.meta.url);
const { default: Ajv } = require('ajv-draft-04') as typeof import('ajv-draft-04');
const { default: addFormats } = require('ajv-formats') as typeof import('ajv-formats');

/** The vendored OASIS SARIF 2.1.0 schema (see fixtures/sarif/README.md). */
async function sarifValidator() {
  const schema = JSON.parse(await readFile('fixtures/sarif/sarif-schema-2.1.0.json', 'utf8')) as object;
  // The published schema's language-tag pattern is not valid under the `u` flag.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('idgate audit --format sarif', () => {
  it('validates against the SARIF 2.1.0 schema, without and with a baseline', async () => {
    const validate = await sarifValidator();
    const result = await auditTree('fixtures/sample-code', { allow: ['**/ssot/**'] });
    const plain = JSON.parse(formatSarif({ result, comparison: compareBaseline(result.hits, { version: 1, entries: [] }) })) as unknown;
    expect(validate(plain), JSON.stringify(validate.errors)).toBe(true);

    const half = baselineOf(result.hits.slice(0, 20));
    const withFixed = { version: 1 as const, entries: [...half.entries, { fingerprint: 'ffffffffffffffff', rule: 'py/uuid' as const, file: 'gone.py', call: 'uuid.uuid4()' }] };
    const sarif = JSON.parse(formatSarif({ result, comparison: compareBaseline(result.hits, withFixed), baselinePath: 'b.json' })) as {
      runs: { results: { baselineState: string; ruleId: string; locations: { physicalLocation: { region?: { startLine: number } } }[] }[] }[];
    };
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const states = sarif.runs[0]!.results.map((r) => r.baselineState);
    expect(states.filter((s) => s === 'new')).toHaveLength(32);
    expect(states.filter((s) => s === 'unchanged')).toHaveLength(20);
    expect(states.filter((s) => s === 'absent')).toHaveLength(1);
  });

  it('the validator rejects what is not SARIF 2.1.0 (so the check can fail)', async () => {
    const validate = await sarifValidator();
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
  });
});

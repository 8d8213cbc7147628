import { mkdtemp, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditTree } from '../harness/audit/index.js';
import { main } from '../harness/cli/index.js';

const ROOT = 'fixtures/sample-code';
const ALLOW = ['**/ssot/**'];

/** Every finding the fixture tree must produce, and nothing else: `file:line rule call`. */
const EXPECTED = [
  'python/app/db_factory.py:4 py/uuid uuid.uuid4',
  'python/app/db_factory.py:10 py/uuid-truncated uuid.uuid4().hex[-12:]',
  'python/app/db_factory.py:14 py/uuid uuid.uuid4()',
  'python/app/sessions.py:18 py/uuid uuid.uuid4()',
  'python/app/sessions.py:23 py/uuid-truncated uuid.uuid4().hex[:8]',
  'python/app/sessions.py:27 py/uuid _u.uuid1()',
  'python/app/sessions.py:31 py/uuid make_uuid()',
  'python/app/sessions.py:35 py/uuid-truncated str(uuid1())[:12]',
  'python/app/sessions.py:39 py/uuid uuid7()',
  'python/app/sessions.py:43 py/secrets-token-id secrets.token_hex(16)',
  'python/app/sessions.py:48 py/secrets-token-id secrets.token_urlsafe(12)',
  'python/app/sessions.py:53 py/secrets-token-id secrets.token_hex(8)',
  'python/app/sessions.py:54 py/time-counter-id f"{int(time.time() * 1000)}-{next(_seq)}"',
  'python/app/sessions.py:55 py/uuid-truncated uuid.uuid4().hex[0:6]',
  'python/app/sessions.py:59 py/time-counter-id "{}-{}".format(time.time(), counter)',
  'python/app/sessions.py:63 py/time-counter-id "req_%d_%d" % (time.time_ns(), n)',
  'python/app/ws_manager.py:13 py/uuid _u.uuid4()',
  'python/app/ws_manager.py:14 py/uuid uuid_module.uuid4',
  'python/app/ws_manager.py:24 py/time-counter-id f"ws_{now()}_{self._count}"',
  'python/app/ws_manager.py:25 py/uuid gen()',
  'python/app/ws_manager.py:26 py/secrets-token-id _s.token_hex(6)',
  'python/app/ws_manager.py:28 py/uuid uuid_module.uuid1()',
  'ts/src/legacy-client.js:10 js/uuid-package legacyV4()',
  'ts/src/legacy-client.js:11 js/uuid-package uuidPkg.v4()',
  'ts/src/legacy-client.js:12 js/crypto-random-uuid rid()',
  'ts/src/legacy-client.js:13 js/uuid-package v4deep()',
  "ts/src/legacy-client.js:14 js/crypto-random-uuid require('crypto').randomUUID()",
  'ts/src/legacy-client.js:15 js/nanoid nanoid()',
  'ts/src/random-strings.ts:7 js/math-random-string Math.random().toString(36)',
  'ts/src/random-strings.ts:8 js/math-random-string Math.floor(Math.random() * 1e9)',
  "ts/src/random-strings.ts:9 js/math-random-string 'tx-' + Math.random()",
  'ts/src/random-strings.ts:11 js/math-random-string alphabet[Math.floor(Math.random() * alphabet.length)]',
  'ts/src/random-strings.ts:12 js/math-random-string alphabet.charAt(Math.floor(Math.random() * 16))',
  'ts/src/random-strings.ts:13 js/nanoid customAlphabet(alphabet, 12)',
  'ts/src/random-strings.ts:14 js/nanoid nanoid()',
  'ts/src/random-strings.ts:14 js/nanoid insecure(10)',
  'ts/src/random-strings.ts:19 js/uuid-package v4()',
  'ts/src/random-strings.ts:23 js/crypto-random-uuid destructured()',
  'ts/src/ws-manager.ts:15 js/crypto-random-uuid randomUUID()',
  'ts/src/ws-manager.ts:16 js/crypto-random-uuid rnd()',
  'ts/src/ws-manager.ts:21 js/crypto-random-uuid nodeCrypto.randomUUID()',
  'ts/src/ws-manager.ts:21 js/crypto-random-uuid cryptoDefault.randomUUID()',
  'ts/src/ws-manager.ts:21 js/uuid-package uuidv4()',
  'ts/src/ws-manager.ts:21 js/uuid-package v1()',
  'ts/src/ws-manager.ts:21 js/uuid-package uuid.v4()',
  'ts/src/ws-manager.ts:21 js/uuid-package uuidDefault.v4()',
  'ts/src/ws-manager.ts:21 js/uuid-package v7()',
  'ts/src/ws-manager.ts:25 js/crypto-random-uuid crypto.randomUUID()',
  'ts/src/ws-manager.ts:25 js/crypto-random-uuid globalThis.crypto.randomUUID()',
  'ts/src/ws-manager.ts:25 js/crypto-random-uuid window.crypto.randomUUID()',
  "ts/src/ws-manager.ts:25 js/crypto-random-uuid self.crypto['randomUUID']()",
  'ts/src/ws-manager.ts:29 js/uuid-package uuidv4',
];

const keyOf = (h: { file: string; line: number; rule: string; call: string }) => `${h.file}:${h.line} ${h.rule} ${h.call}`;

const run = async (argv: string[]) => {
  const lines: string[] = [];
  const code = await main(argv, (l) => lines.push(l));
  return { code, text: lines.join('\n') };
};

describe('idgate audit on fixtures/sample-code', () => {
  it('finds exactly the expected set: precision and recall 100%', async () => {
    const result = await auditTree(ROOT, { allow: ALLOW });
    const found = result.hits.map(keyOf);
    const expected = new Set(EXPECTED);
    const truePositives = found.filter((f) => expected.has(f));
    expect({ falsePositives: found.filter((f) => !expected.has(f)), missed: EXPECTED.filter((e) => !found.includes(e)) }).toEqual({ falsePositives: [], missed: [] });
    expect(truePositives.length / found.length).toBe(1);
    expect(truePositives.length / EXPECTED.length).toBe(1);
    expect(EXPECTED.length).toBeGreaterThanOrEqual(30);
    expect(result.allowed).toEqual(['python/ssot/ids.py', 'ts/ssot/ids.ts']);
  });

  it('the allowed SSOT modules would be findings without --allow', async () => {
    const result = await auditTree(ROOT);
    expect(result.hits.filter((h) => h.file.includes('/ssot/')).map((h) => h.rule)).toEqual(['py/uuid', 'py/secrets-token-id', 'js/crypto-random-uuid']);
  });

  it('the prefilter only skips work: same findings with it off, and in worker threads', async () => {
    const plain = await auditTree(ROOT, { allow: ALLOW, jobs: 0 });
    const unfiltered = await auditTree(ROOT, { allow: ALLOW, prefilter: false, jobs: 0 });
    const threaded = await auditTree(ROOT, { allow: ALLOW, jobs: 2 });
    expect(unfiltered.hits).toEqual(plain.hits);
    expect(threaded.hits).toEqual(plain.hits);
  });

  it('CLI: text output names file:line:col, rule, call and the hint; exit 1 on findings', async () => {
    const { code, text } = await run(['audit', ROOT, '--allow', '**/ssot/**', '--hint', 'ids.new_id(domain)', '--hint', 'js/nanoid=newId()']);
    expect(code).toBe(1);
    expect(text).toMatch(/^python\/app\/sessions\.py:23:12 {2}py\/uuid-truncated {2}uuid\.uuid4\(\)\.hex\[:8\]\n {4}→ ids\.new_id\(domain\)$/m);
    expect(text).toMatch(/ts\/src\/random-strings\.ts:13:16 {2}js\/nanoid {2}customAlphabet\(alphabet, 12\)\n {4}→ newId\(\)/);
    expect(text).toMatch(/audit: 12 files \(2 allowed SSOT\).*: 52 new, 0 known, 0 fixed/);
  });

  it('CLI: the baseline ratchet passes known findings, fails new ones and lists fixed ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idgate-audit-'));
    try {
      const tree = join(dir, 'src');
      await cp(ROOT, tree, { recursive: true });
      const baseline = join(dir, 'baseline.json');
      const created = await run(['audit', tree, '--allow', '**/ssot/**', '--baseline', baseline, '--update-baseline']);
      expect(created.code).toBe(0);
      expect(JSON.parse(await readFile(baseline, 'utf8'))).toMatchObject({ version: 1, entries: expect.arrayContaining([expect.objectContaining({ rule: 'py/uuid', file: 'python/app/sessions.py', call: 'uuid.uuid4()' })]) as unknown });

      const clean = await run(['audit', tree, '--allow', '**/ssot/**', '--baseline', baseline]);
      expect(clean.code).toBe(0);
      expect(clean.text).toMatch(/0 new, 52 known, 0 fixed/);

      // An unrelated edit above every finding churns nothing; a new call fails; a removed one is listed as fixed.
      const py = join(tree, 'python/app/sessions.py');
      const src = await readFile(py, 'utf8');
      await writeFile(py, `# a new header line\n\n${src.replace('return make_uuid()', 'return None')}\ndef added():\n    return uuid.uuid1()\n`);
      const next = await run(['audit', tree, '--allow', '**/ssot/**', '--baseline', baseline]);
      expect(next.code).toBe(1);
      expect(next.text).toMatch(/python\/app\/sessions\.py:\d+:\d+ {2}NEW py\/uuid {2}uuid\.uuid1\(\)/);
      expect(next.text).toMatch(/python\/app\/sessions\.py {2}fixed py\/uuid {2}make_uuid\(\)/);
      expect(next.text).toMatch(/1 new, 51 known, 1 fixed/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('CLI: usage errors exit 2 and say what to do', async () => {
    expect(await run(['audit'])).toMatchObject({ code: 2, text: expect.stringMatching(/missing <path>[\s\S]*idgate audit <path>/) as unknown });
    expect(await run(['audit', 'no/such/dir'])).toMatchObject({ code: 2, text: expect.stringMatching(/does not exist/) as unknown });
    expect(await run(['audit', ROOT, '--format', 'xml'])).toMatchObject({ code: 2, text: expect.stringMatching(/use one of text, json, sarif/) as unknown });
    expect(await run(['audit', ROOT, '--baseline', 'missing.json'])).toMatchObject({ code: 2, text: expect.stringMatching(/--update-baseline/) as unknown });
    expect(await run(['audit', ROOT, '--hint', 'py/nope=x'])).toMatchObject({ code: 2, text: expect.stringMatching(/unknown rule "py\/nope"/) as unknown });
  });

  it('CLI: --format json --out writes the report and prints a summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idgate-audit-'));
    try {
      const out = join(dir, 'audit.json');
      const { code, text } = await run(['audit', ROOT, '--allow', '**/ssot/**', '--format', 'json', '--out', out]);
      expect(code).toBe(1);
      expect(text).toMatch(/52 new.*report written to/);
      const report = JSON.parse(await readFile(out, 'utf8')) as { summary: unknown; new: { rule: string }[] };
      expect(report.summary).toEqual({ new: 52, known: 0, fixed: 0 });
      expect(new Set(report.new.map((h) => h.rule)).size).toBe(8);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

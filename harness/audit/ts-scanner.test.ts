import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mintingRule, scanTypeScript } from './ts-scanner.js';

const flagged = (src: string, file = 'a.ts') => scanTypeScript(src, file).map((h) => `${h.rule} ${src.slice(h.start, h.end)}`);

const POSITIVES: readonly string[] = [
  "import { v4 } from 'uuid'; v4();",
  "import { v4 as u } from 'uuid'; u();",
  "import * as uuid from 'uuid'; uuid.v1();",
  "const { v4: x } = require('uuid'); x();",
  "import { randomUUID } from 'node:crypto'; randomUUID();",
  'crypto.randomUUID();',
  'globalThis.crypto.randomUUID();',
  "import { nanoid } from 'nanoid'; nanoid();",
  'const s = Math.random().toString(36);',
];

describe('scanTypeScript', () => {
  it('flags each import form, require and global', () => {
    for (const src of POSITIVES) expect(flagged(src), src).toHaveLength(1);
  });

  it('leaves numbers from Math.random alone', () => {
    expect(flagged('const j = Math.random() * 100; if (Math.random() < 0.5) f();')).toEqual([]);
  });

  it('lets parameters, locals, type-only imports and other modules shadow', () => {
    expect(flagged('function f(randomUUID: () => string) { return randomUUID(); }')).toEqual([]);
    expect(flagged('function f() { const crypto = { randomUUID() { return 1; } }; return crypto.randomUUID(); }')).toEqual([]);
    expect(flagged("import type { v4 } from 'uuid'; let x: typeof v4;")).toEqual([]);
    expect(flagged("import { v4 } from './ids.js'; v4();")).toEqual([]);
  });

  it('parses JS and JSX by extension', () => {
    expect(flagged("const { v4 } = require('uuid');\nconst el = <div id={v4()} />;", 'a.jsx')).toEqual(['js/uuid-package v4()']);
  });

  it('never flags a positive inside a comment, string or template text', () => {
    const wrap = fc.constantFrom(
      (s: string) => `// ${s}`,
      (s: string) => `/* ${s} */`,
      (s: string) => `/** @example ${s} */ export {};`,
      (s: string) => `const t = ${JSON.stringify(s)};`,
      (s: string) => `const t = \`${s.replaceAll('`', "'").replaceAll('${', '$ {')}\`;`,
    );
    fc.assert(fc.property(fc.constantFrom(...POSITIVES), wrap, (src, w) => scanTypeScript(w(src), 'a.ts').length === 0));
  });
});

describe('mintingRule', () => {
  it('maps resolved paths to rules', () => {
    expect(mintingRule(['crypto', 'webcrypto', 'randomUUID'])).toBe('js/crypto-random-uuid');
    expect(mintingRule(['uuid', 'v4'])).toBe('js/uuid-package');
    expect(mintingRule(['uuid', 'validate'])).toBeNull();
    expect(mintingRule(['nanoid', 'customAlphabet'])).toBe('js/nanoid');
    expect(mintingRule(null)).toBeNull();
  });
});

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Parser } from 'web-tree-sitter';
import { loadPythonParser } from './python-parser.js';
import { scanPython } from './python-scanner.js';

let parser: Parser;
beforeAll(async () => {
  parser = await loadPythonParser();
});

const flagged = (src: string) => scanPython(parser, src).map((h) => `${h.rule} ${src.slice(h.start, h.end)}`);

/** Positive one-liners with the import they need. */
const POSITIVES: readonly (readonly [string, string])[] = [
  ['import uuid', 'x = uuid.uuid4()'],
  ['import uuid as _u', 'x = _u.uuid1()'],
  ['from uuid import uuid4 as u', 'x = u()'],
  ['from uuid import uuid4', 'x = uuid4().hex[:8]'],
  ['import secrets', 'session_id = secrets.token_hex(8)'],
  ['import time', 'rid = f"{time.time()}-{counter}"'],
];

describe('scanPython', () => {
  it('flags each import form and alias', () => {
    for (const [imp, line] of POSITIVES) expect(flagged(`${imp}\n${line}\n`), line).toHaveLength(1);
  });

  it('names the truncation, not just the call', () => {
    expect(flagged('import uuid\nk = str(uuid.uuid4())[:12]\n')).toEqual(['py/uuid-truncated str(uuid.uuid4())[:12]']);
  });

  it('tells tokens for IDs from tokens for secrets', () => {
    expect(flagged('import secrets\ndef new_user_id():\n    return secrets.token_hex(4)\n')).toHaveLength(1);
    expect(flagged('import secrets\npassword = secrets.token_urlsafe(16)\n')).toEqual([]);
  });

  it('tells clock-and-counter IDs from timing logs', () => {
    expect(flagged('import time\nmsg = f"took {time.time() - t0:.1f}s"\n')).toEqual([]);
    expect(flagged('import time\nmsg = f"now {time.time()}"\n')).toEqual([]);
    expect(flagged('import time\nrequest_id = f"{time.time()}"\n')).toHaveLength(1);
  });

  it('lets a local def, parameter or comprehension variable shadow the library', () => {
    expect(flagged('from uuid import uuid4\ndef uuid4():\n    return 1\nx = uuid4()\n')).toEqual([]);
    expect(flagged('import uuid\ndef f(uuid):\n    return uuid.uuid4()\n')).toEqual([]);
    expect(flagged('import uuid\nxs = [uuid.uuid4() for uuid in ys]\n')).toEqual([]);
  });

  it('sees module bindings from inside functions and classes', () => {
    expect(flagged('import uuid\nclass A:\n    def m(self):\n        return uuid.uuid4()\n')).toHaveLength(1);
    expect(flagged('import uuid\nclass A:\n    uuid = None\n    def m(self):\n        return uuid.uuid4()\n')).toHaveLength(1);
  });

  it('never flags a positive wrapped in a comment, string, bytes or docstring', () => {
    const wrap = fc.constantFrom(
      (s: string) => `# ${s}`,
      (s: string) => `x = ${JSON.stringify(s)}`,
      (s: string) => `x = '''${s}'''`,
      (s: string) => `def f():\n    """${s}"""\n    return 1`,
      (s: string) => `x = r"${s.replaceAll('"', "'")}"`,
      (s: string) => `x = b"${s.replaceAll('"', "'")}"`,
    );
    fc.assert(
      fc.property(fc.constantFrom(...POSITIVES), wrap, ([imp, line], w) => scanPython(parser, `${imp}\n${w(line)}\n`).length === 0),
    );
  });
});

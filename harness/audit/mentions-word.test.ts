import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mentionsWord } from './mentions-word.js';

describe('mentionsWord', () => {
  it('finds whole words only', () => {
    expect(mentionsWord('import time\n', 'time')).toBe(true);
    expect(mentionsWord('x = time.time()', 'time')).toBe(true);
    expect(mentionsWord('from datetime import datetime', 'time')).toBe(false);
    expect(mentionsWord("require('uuid/v4')", 'uuid')).toBe(true);
    expect(mentionsWord('uuid_utils', 'uuid')).toBe(false);
  });

  it('is true whenever the word stands between non-identifier characters', () => {
    const sep = fc.constantFrom(' ', '.', '(', "'", '\n', '/');
    fc.assert(fc.property(fc.string(), sep, sep, fc.string(), (a, l, r, b) => mentionsWord(`${a}${l}uuid${r}${b}`, 'uuid')));
  });
});

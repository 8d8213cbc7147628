/**
 * Test helper: throws unless `source` uses only the RE2 constructs the spec layer emits —
 * anchors, literals, punctuation escapes, `[...]` classes with ranges, `{n}` / `{n,m}`
 * repetition and `(?:…)` groups. No lookarounds, backreferences or word-character escapes,
 * which RE2 (ClickHouse `match()`) rejects.
 */
export function assertRe2Subset(source: string): void {
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined || /\w/.test(next)) throw new Error(`RE2 subset: bad escape at ${i} in ${source}`);
      i++;
    } else if (c === '[') {
      i++;
      if (source[i] === ']') throw new Error(`RE2 subset: empty class at ${i} in ${source}`);
      while (i < source.length && source[i] !== ']') {
        if (source[i] === '\\') {
          const next = source[i + 1];
          if (next === undefined || /\w/.test(next)) throw new Error(`RE2 subset: bad escape in class at ${i} in ${source}`);
          i++;
        }
        i++;
      }
      if (source[i] !== ']') throw new Error(`RE2 subset: unclosed class in ${source}`);
    } else if (c === '(') {
      if (source.slice(i, i + 3) !== '(?:') throw new Error(`RE2 subset: only (?: groups allowed, at ${i} in ${source}`);
      depth++;
      i += 2;
    } else if (c === ')') {
      if (--depth < 0) throw new Error(`RE2 subset: unbalanced ) at ${i} in ${source}`);
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d+))?\}/.exec(source.slice(i));
      if (!m || Number(m[1]) > 1000 || Number(m[3] ?? 0) > 1000) throw new Error(`RE2 subset: bad repetition at ${i} in ${source}`);
      i += m[0].length - 1;
    } else if ('*+?.'.includes(c)) {
      throw new Error(`RE2 subset: unexpected ${c} at ${i} in ${source}`);
    }
  }
  if (depth !== 0) throw new Error(`RE2 subset: unbalanced ( in ${source}`);
}

import { UsageError } from '../model/index.js';

/** Where an escaped piece of text goes: outside brackets, or inside a `[...]` character class. */
export type Re2Context = 'literal' | 'class';

// RE2 rejects `\` before a word character (`\_` is an error, unlike in JS), and JavaScript in
// `u` mode rejects `\` before most punctuation. These sets escape exactly the characters that
// are special in each context, which both engines accept escaped.
const SPECIAL_OUTSIDE = new Set('\\.+*?()|[]{}^$');
const SPECIAL_IN_CLASS = new Set('\\[]^-');

/**
 * Escapes `text` so that a regular expression matches it literally — the one escaper every
 * regex idgate builds goes through. The result is valid RE2 (ClickHouse `match()`) and valid
 * JavaScript `RegExp` source with or without the `u` flag.
 *
 * Only printable ASCII (U+0020–U+007E) is accepted: ClickHouse 18.16 matches bytes, and an ID
 * alphabet outside ASCII would make byte and character semantics differ.
 *
 * @param text - the characters to match literally
 * @param context - `'literal'` (default) outside brackets, `'class'` inside `[...]`
 * @throws UsageError when `text` holds a character outside printable ASCII
 */
export function escapeRe2(text: string, context: Re2Context = 'literal'): string {
  const special = context === 'class' ? SPECIAL_IN_CLASS : SPECIAL_OUTSIDE;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) {
      throw new UsageError(
        'IDGATE_REGEX_CHAR',
        `escapeRe2: character U+${code.toString(16).toUpperCase().padStart(4, '0')} at position ${i} of ${JSON.stringify(text)} is not printable ASCII`,
        'use only printable ASCII characters (U+0020–U+007E) in domain literals, separators and alphabets',
      );
    }
    out += special.has(c) ? `\\${c}` : c;
  }
  return out;
}

/**
 * A character class matching exactly the characters of `alphabet`, with runs of three or more
 * consecutive characters written as ranges (`0123456789abcdef` → `[0-9a-f]`). Every character
 * goes through {@link escapeRe2}.
 */
export function re2CharClass(alphabet: string): string {
  const codes = [...new Set(alphabet)].map((c) => c.charCodeAt(0)).sort((a, b) => a - b);
  let out = '';
  for (let i = 0; i < codes.length; ) {
    let j = i;
    while (j + 1 < codes.length && codes[j + 1] === codes[j]! + 1) j++;
    const first = escapeRe2(String.fromCharCode(codes[i]!), 'class');
    const last = escapeRe2(String.fromCharCode(codes[j]!), 'class');
    if (j - i >= 2) out += `${first}-${last}`;
    else if (j - i === 1) out += first + last;
    else out += first;
    i = j + 1;
  }
  return `[${out}]`;
}

const SPECIAL = /[\\\t\n\r\0\b\f]/;
const SPECIAL_ALL = /[\\\t\n\r\0\b\f]/g;
const REPLACEMENT: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
};

/**
 * Escapes a string for one field of ClickHouse's TabSeparated format: backslash, tab, newline,
 * carriage return, NUL, backspace and form feed become backslash sequences, every other
 * character passes through as is. ClickHouse's parser turns each sequence back into its byte,
 * so any well-formed string round-trips byte-exact (tested against a real server).
 */
export function escapeTsv(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => REPLACEMENT[c]!) : value;
}

/** True when `value` holds no character {@link escapeTsv} would change (fast path for batches). */
export function isTsvPlain(value: string): boolean {
  return !SPECIAL.test(value);
}

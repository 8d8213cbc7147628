/** Splits `sessionId`, `session_id`, `SESSION-ID` into lower-case words. */
export function nameWords(name: string): string[] {
  const words: string[] = [];
  let cur = '';
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (ch === '_' || ch === '-' || ch === '.' || ch === ' ' || ch === '$') {
      if (cur) words.push(cur.toLowerCase());
      cur = '';
      continue;
    }
    const prev = name[i - 1];
    const isUpper = ch >= 'A' && ch <= 'Z';
    const prevLower = prev !== undefined && ((prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9'));
    const nextLower = name[i + 1] !== undefined && name[i + 1]! >= 'a' && name[i + 1]! <= 'z';
    const prevUpper = prev !== undefined && prev >= 'A' && prev <= 'Z';
    if (isUpper && cur && (prevLower || (prevUpper && nextLower))) {
      words.push(cur.toLowerCase());
      cur = '';
    }
    cur += ch;
  }
  if (cur) words.push(cur.toLowerCase());
  return words;
}

const ID_WORDS = new Set(['id', 'ids', 'uid', 'uids', 'uuid', 'uuids', 'guid', 'guids', 'identifier']);
const COUNTER_WORDS = new Set(['counter', 'count', 'seq', 'sequence', 'serial', 'n', 'i', 'idx', 'index', 'nonce', 'ctr', 'inc', 'increment', 'next']);

/** True for names that hold IDs: `id`, `session_id`, `requestId`, `new_uid`, `make_guid`. */
export function isIdName(name: string): boolean {
  return nameWords(name).some((w) => ID_WORDS.has(w));
}

/** True for names that hold counters: `counter`, `_seq`, `n`, `nextIndex`. */
export function isCounterName(name: string): boolean {
  return nameWords(name).some((w) => COUNTER_WORDS.has(w));
}

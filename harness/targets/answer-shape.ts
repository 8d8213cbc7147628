import type { TargetFailureRule } from './target-failure.js';
import type { TargetRequest } from './target-request.js';

/** An answer checked against its request: the value, or why it is malformed. */
export type CheckedAnswer = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly rule: TargetFailureRule; readonly what: string };

function bad(rule: TargetFailureRule, what: string): CheckedAnswer {
  return { ok: false, rule, what };
}

function sample(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function arrayOf(value: unknown, n: number, isItem: (x: unknown) => boolean, what: string): CheckedAnswer {
  if (!Array.isArray(value)) return bad('bad-answer', `answered ${sample(value)} instead of an array of ${what}`);
  if (value.length !== n) return bad('wrong-count', `answered ${value.length} ${what} instead of ${n}`);
  for (let i = 0; i < value.length; i++) {
    if (!isItem(value[i])) return bad('bad-answer', `answered ${sample(value[i])} at position ${i} instead of one of ${what}`);
  }
  return { ok: true, value };
}

const isString = (x: unknown) => typeof x === 'string';
const isView = (x: unknown) =>
  x === null ||
  (typeof x === 'object' &&
    (typeof (x as Record<string, unknown>).type === 'string' || (x as Record<string, unknown>).type === null) &&
    ['owner', 'parent'].every((k) => (x as Record<string, unknown>)[k] === undefined || typeof (x as Record<string, unknown>)[k] === 'string'));

/** Checks that `value` is the answer `request` calls for: count, types and shape. */
export function checkAnswer(request: TargetRequest, value: unknown): CheckedAnswer {
  switch (request.call) {
    case 'generate':
      return arrayOf(value, request.count, isString, 'string IDs');
    case 'validate':
      return arrayOf(value, request.ids.length, (x) => typeof x === 'boolean', 'booleans');
    case 'parse':
      return arrayOf(value, request.ids.length, isView, '{type, owner?, parent?} objects or null');
    case 'cleanupPatterns':
      return Array.isArray(value) && value.every(isString) ? { ok: true, value } : bad('bad-answer', `answered ${sample(value)} instead of an array of pattern strings`);
    case 'userContext': {
      const v = value as Record<string, unknown> | null;
      if (typeof v !== 'object' || v === null || !['thread', 'run', 'request'].every((k) => typeof v[k] === 'string')) {
        return bad('bad-answer', `answered ${sample(value)} instead of {thread, run, request} strings`);
      }
      return { ok: true, value: { thread: v.thread, run: v.run, request: v.request } };
    }
  }
}

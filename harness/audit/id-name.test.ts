import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCounterName, isIdName, nameWords } from './id-name.js';

describe('nameWords', () => {
  it('splits snake, camel, Pascal and acronyms', () => {
    expect(nameWords('session_id')).toEqual(['session', 'id']);
    expect(nameWords('requestId')).toEqual(['request', 'id']);
    expect(nameWords('HTTPRequestID')).toEqual(['http', 'request', 'id']);
    expect(nameWords('__seq')).toEqual(['seq']);
  });
});

describe('isIdName', () => {
  it('knows ID names and rejects words that merely end in "id"', () => {
    for (const n of ['id', 'session_id', 'requestId', 'new_uid', 'make_guid', 'RUN_ID', 'idList']) expect(isIdName(n), n).toBe(true);
    for (const n of ['valid', 'paid', 'android', 'avoid', 'token', 'csrf_token', 'idle', 'void']) expect(isIdName(n), n).toBe(false);
  });

  it('any snake_case name with an `id` word is an ID name', () => {
    const word = fc.stringMatching(/^[a-z]{1,8}$/);
    fc.assert(fc.property(fc.array(word, { maxLength: 3 }), fc.array(word, { maxLength: 3 }), (a, b) => isIdName([...a, 'id', ...b].join('_'))));
  });
});

describe('isCounterName', () => {
  it('knows counters', () => {
    expect(isCounterName('counter')).toBe(true);
    expect(isCounterName('self_seq')).toBe(true);
    expect(isCounterName('name')).toBe(false);
  });
});

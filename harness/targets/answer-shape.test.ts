import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../spec/index.js';
import { checkAnswer } from './answer-shape.js';
import { extractParent, type ExtractionRule } from '../spec/index.js';

describe('checkAnswer', () => {
  const gen = { call: 'generate', domain: 'user', context: {}, count: 2 } as const;

  it('accepts exactly the count and shape a request calls for', () => {
    expect(checkAnswer(gen, ['a', 'b'])).toEqual({ ok: true, value: ['a', 'b'] });
    expect(checkAnswer(gen, ['a'])).toMatchObject({ ok: false, rule: 'wrong-count' });
    expect(checkAnswer(gen, ['a', 'b', 'c'])).toMatchObject({ ok: false, rule: 'wrong-count' });
    expect(checkAnswer(gen, ['a', 2])).toMatchObject({ ok: false, rule: 'bad-answer', what: expect.stringMatching(/position 1/) as unknown });
    expect(checkAnswer(gen, 'ab')).toMatchObject({ ok: false, rule: 'bad-answer' });
    expect(checkAnswer({ call: 'validate', domain: 'user', ids: ['x'] }, [1])).toMatchObject({ ok: false, rule: 'bad-answer' });
    expect(checkAnswer({ call: 'parse', domain: 'user', ids: ['x', 'y'] }, [null, { type: 'user', owner: 'o' }])).toMatchObject({ ok: true });
    expect(checkAnswer({ call: 'parse', domain: 'user', ids: ['x'] }, [{ type: 1 }])).toMatchObject({ ok: false });
    expect(checkAnswer({ call: 'userContext', user: 'u', op: 'o' }, { thread: 't', run: 'r' })).toMatchObject({ ok: false, rule: 'bad-answer' });
    expect(checkAnswer({ call: 'cleanupPatterns', user: 'u' }, 'x*')).toMatchObject({ ok: false, rule: 'bad-answer' });
  });
});

describe('extractParent', () => {
  const catalog = defaultCatalog();
  const legacy: ExtractionRule[] = [
    { name: 'system-b', kind: 'tokens', child: 'run', parent: 'thread', match: '^run_thread_', separator: '_', dropLeft: 1, dropRight: 2 },
    { name: 'system-a', kind: 'replace-prefix', child: 'run', parent: 'thread', from: 'run_', to: 'thread_' },
  ];

  it('applies the first rule whose child and match fit', () => {
    expect(extractParent(legacy, 'run', 'run_thread_chat_7_deadbeef_12345_abcd1234', catalog)).toEqual({ rule: 'system-b', parent: 'thread_chat_7_deadbeef' });
    expect(extractParent(legacy, 'run', 'run_chat_8_cafebabe', catalog)).toEqual({ rule: 'system-a', parent: 'thread_chat_8_cafebabe' });
    expect(extractParent(legacy, 'request', 'request_x', catalog)).toBeUndefined();
  });

  it('reads an embedded parent through the catalog spec, and nothing from an ID that does not parse', () => {
    const spec: ExtractionRule[] = [{ name: 'spec', kind: 'spec', child: 'run', parent: 'thread' }];
    const thread = `thread_a_b_${'1'.repeat(24)}`;
    expect(extractParent(spec, 'run', `run_${thread}_${'2'.repeat(24)}`, catalog)).toEqual({ rule: 'spec', parent: thread });
    expect(extractParent(spec, 'run', 'run_bogus', catalog)).toEqual({ rule: 'spec', parent: undefined });
  });
});

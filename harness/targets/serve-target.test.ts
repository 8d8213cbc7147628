import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { serveTarget } from './serve-target.js';
import type { Target } from './target.js';

async function converse(target: Target, lines: string[]): Promise<unknown[]> {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (b: Buffer) => chunks.push(b));
  const done = serveTarget(() => target, { input, output });
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return Buffer.concat(chunks).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
}

describe('serveTarget', () => {
  const target: Target = {
    name: 'tiny',
    generate: (domain, _ctx, count) => Array.from({ length: count }, (_, i) => `${domain}_${i}`),
    userContext: () => ({ thread: 't', run: 'r', request: 'q' }),
    validate: () => {
      throw new Error('validator broke');
    },
  };

  it('answers the hello with its capabilities, then each request by id, errors as messages', async () => {
    const out = await converse(target, [
      '{"idgate":"hello","protocol":1,"worker":2,"options":{}}',
      '{"id":1,"call":"generate","domain":"user","count":2,"context":{}}',
      '{"id":2,"call":"validate","domain":"user","ids":["x"]}',
      '{"id":3,"call":"parse","domain":"user","ids":["x"]}',
    ]);
    expect(out).toEqual([
      { idgate: 'hello', protocol: 1, name: 'tiny', capabilities: ['validate'], extractionRules: [] },
      { id: 1, result: ['user_0', 'user_1'] },
      { id: 2, error: 'Error: validator broke' },
      { id: 3, error: 'Error: parse is not supported' },
    ]);
  });

  it('refuses another protocol version', async () => {
    const out = await converse(target, ['{"idgate":"hello","protocol":9,"worker":0,"options":{}}']);
    expect(out).toEqual([{ idgate: 'hello', protocol: 1, error: 'protocol 9 is not supported' }]);
  });
});

import type { Readable, Writable } from 'node:stream';
import { describeError } from './bounded-wait.js';
import { LineSplitter } from './line-splitter.js';
import { PROTOCOL_VERSION, decodeHelloRequest, decodeRequest, encodeResponse, type HelloReply, type RequestMessage } from './protocol.js';
import type { Target, TargetFactory } from './target.js';

/** Where {@link serveTarget} reads requests and writes answers. Default: this process's stdio. */
export interface ServeTargetOptions {
  readonly input?: Readable;
  readonly output?: Writable;
}

async function answer(target: Target, m: RequestMessage): Promise<unknown> {
  switch (m.call) {
    case 'generate':
      return target.generate(m.domain, m.context ?? {}, m.count);
    case 'userContext':
      return target.userContext(m.user, m.op);
    case 'validate':
      if (!target.validate) throw new Error('validate is not supported');
      return target.validate(m.domain, m.ids);
    case 'parse':
      if (!target.parse) throw new Error('parse is not supported');
      return target.parse(m.domain, m.ids);
    case 'cleanupPatterns':
      if (!target.cleanupPatterns) throw new Error('cleanupPatterns is not supported');
      return target.cleanupPatterns(m.user);
    default:
      throw new Error(`unknown call ${JSON.stringify((m as { call: unknown }).call)}`);
  }
}

/**
 * Serves a TS/JS target over the JSON-lines protocol (docs/protocol.md): the Node twin of
 * `fixtures/python/idgate_target.py`. Reads idgate's hello, creates the target with the worker
 * and options it names, then answers requests in order until its input ends, and closes the
 * target. A target that throws answers an error message for that request.
 */
export async function serveTarget(factory: TargetFactory, io: ServeTargetOptions = {}): Promise<void> {
  const input = io.input ?? process.stdin;
  const output = io.output ?? process.stdout;
  const write = async (line: string): Promise<void> => {
    if (!output.write(line)) await new Promise<void>((r) => output.once('drain', () => r()));
  };
  const splitter = new LineSplitter();
  let target: Target | undefined;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    for (const buf of splitter.push(chunk) ?? []) {
      const line = buf.toString('utf8');
      if (target === undefined) {
        const hello = decodeHelloRequest(line);
        if (!hello.ok || hello.message.protocol !== PROTOCOL_VERSION) {
          await write(`${JSON.stringify({ idgate: 'hello', protocol: PROTOCOL_VERSION, error: hello.ok ? `protocol ${hello.message.protocol} is not supported` : hello.reason })}\n`);
          return;
        }
        target = await factory({ worker: hello.message.worker, options: hello.message.options });
        const caps = (['validate', 'parse', 'cleanupPatterns'] as const).filter((c) => typeof target?.[c] === 'function');
        const reply: HelloReply = { idgate: 'hello', protocol: PROTOCOL_VERSION, name: target.name, capabilities: caps, extractionRules: target.extractionRules ?? [] };
        await write(`${JSON.stringify(reply)}\n`);
        continue;
      }
      const req = decodeRequest(line);
      if (!req.ok) {
        await write(encodeResponse(0, { error: req.reason }));
        continue;
      }
      try {
        await write(encodeResponse(req.message.id, { result: await answer(target, req.message) }));
      } catch (error) {
        await write(encodeResponse(req.message.id, { error: describeError(error) }));
      }
    }
  }
  await target?.close?.();
}

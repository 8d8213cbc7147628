import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, decodeHelloReply, decodeHelloRequest, decodeRequest, decodeResponse, encodeHello, encodeRequest, encodeResponse } from './protocol.js';

describe('protocol lines', () => {
  it('round-trips requests and responses for arbitrary IDs, including hostile strings', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 20 }), (id, ids) => {
        const req = decodeRequest(encodeRequest(id, { call: 'validate', domain: 'run', ids }).trimEnd());
        expect(req).toEqual({ ok: true, message: { id, call: 'validate', domain: 'run', ids } });
        const res = decodeResponse(encodeResponse(id, { result: ids }).trimEnd());
        expect(res).toEqual({ ok: true, message: { id, ok: true, result: ids } });
      }),
    );
  });

  it('decodes error answers, as a string or an object with a message', () => {
    expect(decodeResponse('{"id":3,"error":"boom"}')).toEqual({ ok: true, message: { id: 3, ok: false, error: 'boom' } });
    expect(decodeResponse('{"id":3,"error":{"message":"boom"}}')).toEqual({ ok: true, message: { id: 3, ok: false, error: 'boom' } });
  });

  it.each([
    ['not JSON', 'Traceback (most recent call last):', /not JSON/],
    ['an array', '[1,2]', /not a JSON object/],
    ['no id', '{"result":[]}', /no integer "id"/],
    ['a fractional id', '{"id":1.5,"result":[]}', /no integer "id"/],
    ['neither result nor error', '{"id":1}', /neither "result" nor "error"/],
  ])('rejects a response that is %s, quoting it', (_what, line, reason) => {
    const d = decodeResponse(line);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toMatch(reason);
  });

  it('checks the hello: version, shape and refusals', () => {
    const good = '{"idgate":"hello","protocol":1,"name":"t","capabilities":["parse"],"extractionRules":[]}';
    expect(decodeHelloReply(good)).toMatchObject({ ok: true, message: { name: 't', capabilities: ['parse'] } });
    expect(decodeHelloReply('{"idgate":"hello","protocol":2,"name":"t"}')).toMatchObject({ ok: false, reason: expect.stringMatching(/protocol 2, idgate speaks 1/) as unknown });
    expect(decodeHelloReply('{"idgate":"hello","protocol":1,"error":"too old"}')).toMatchObject({ ok: false, reason: expect.stringMatching(/refused the handshake: too old/) as unknown });
    expect(decodeHelloReply('{"id":1,"result":[]}')).toMatchObject({ ok: false });
    expect(decodeHelloReply('{"idgate":"hello","protocol":1,"name":5}')).toMatchObject({ ok: false });
    expect(decodeHelloRequest(encodeHello(3, { a: 1 }).trimEnd())).toEqual({ ok: true, message: { idgate: 'hello', protocol: PROTOCOL_VERSION, worker: 3, options: { a: 1 } } });
  });
});

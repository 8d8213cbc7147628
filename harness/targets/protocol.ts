import type { ExtractionRule } from '../spec/index.js';
import type { TargetRequest } from './target-request.js';

/** The JSON-lines protocol version this idgate speaks (docs/protocol.md). */
export const PROTOCOL_VERSION = 1;

/** idgate's first line to a subprocess target. */
export interface HelloRequest {
  readonly idgate: 'hello';
  readonly protocol: number;
  readonly worker: number;
  readonly options: Readonly<Record<string, unknown>>;
}

/** A target's answer to {@link HelloRequest}. */
export interface HelloReply {
  readonly idgate: 'hello';
  readonly protocol: number;
  readonly name: string;
  /** Optional calls it supports: `validate`, `parse`, `cleanupPatterns`. */
  readonly capabilities: readonly string[];
  readonly extractionRules: readonly ExtractionRule[];
}

/** One request line: `{"id":7,"call":"generate",…}`. */
export type RequestMessage = TargetRequest & { readonly id: number };

/** A decoded response line. */
export type ResponseMessage = { readonly id: number; readonly ok: true; readonly result: unknown } | { readonly id: number; readonly ok: false; readonly error: string };

/** The outcome of decoding one line: the message, or why the line is not the protocol. */
export type Decoded<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly reason: string };

function parseObject(line: string): Record<string, unknown> | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return `not JSON: ${excerpt(line)}`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `not a JSON object: ${excerpt(line)}`;
  return v as Record<string, unknown>;
}

/** The first 200 characters of a line, for evidence. */
export function excerpt(line: string): string {
  return JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line);
}

/** Encodes idgate's hello line (with its `\n`). */
export function encodeHello(worker: number, options: Readonly<Record<string, unknown>>): string {
  const hello: HelloRequest = { idgate: 'hello', protocol: PROTOCOL_VERSION, worker, options };
  return `${JSON.stringify(hello)}\n`;
}

/** Decodes a target's hello line; a wrong version or shape is a reason. */
export function decodeHelloReply(line: string): Decoded<HelloReply> {
  const o = parseObject(line);
  if (typeof o === 'string') return { ok: false, reason: o };
  if (o.idgate !== 'hello') return { ok: false, reason: `expected a hello line {"idgate":"hello",…}, got ${excerpt(line)}` };
  if (typeof o.error === 'string') return { ok: false, reason: `refused the handshake: ${o.error}` };
  if (o.protocol !== PROTOCOL_VERSION) return { ok: false, reason: `speaks protocol ${JSON.stringify(o.protocol)}, idgate speaks ${PROTOCOL_VERSION}` };
  const caps = o.capabilities ?? [];
  const rules = o.extractionRules ?? [];
  if (typeof o.name !== 'string' || !Array.isArray(caps) || !caps.every((c) => typeof c === 'string') || !Array.isArray(rules)) {
    return { ok: false, reason: `hello needs name (string), capabilities (string[]) and extractionRules (array): ${excerpt(line)}` };
  }
  return { ok: true, message: { idgate: 'hello', protocol: PROTOCOL_VERSION, name: o.name, capabilities: caps, extractionRules: rules as ExtractionRule[] } };
}

/** Encodes request number `id` as one line (with its `\n`). */
export function encodeRequest(id: number, request: TargetRequest): string {
  return `${JSON.stringify({ id, ...request })}\n`;
}

/** Decodes a response line: `{"id":N,"result":…}` or `{"id":N,"error":"…"}`. */
export function decodeResponse(line: string): Decoded<ResponseMessage> {
  const o = parseObject(line);
  if (typeof o === 'string') return { ok: false, reason: o };
  if (!Number.isSafeInteger(o.id)) return { ok: false, reason: `response has no integer "id": ${excerpt(line)}` };
  const id = o.id as number;
  if ('error' in o) {
    const e = o.error;
    const text = typeof e === 'string' ? e : typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : JSON.stringify(e);
    return { ok: true, message: { id, ok: false, error: text } };
  }
  if (!('result' in o)) return { ok: false, reason: `response #${id} has neither "result" nor "error": ${excerpt(line)}` };
  return { ok: true, message: { id, ok: true, result: o.result } };
}

/** Server side: decodes idgate's hello line. */
export function decodeHelloRequest(line: string): Decoded<HelloRequest> {
  const o = parseObject(line);
  if (typeof o === 'string') return { ok: false, reason: o };
  if (o.idgate !== 'hello' || typeof o.protocol !== 'number') return { ok: false, reason: `expected idgate's hello line, got ${excerpt(line)}` };
  const options = typeof o.options === 'object' && o.options !== null ? (o.options as Record<string, unknown>) : {};
  return { ok: true, message: { idgate: 'hello', protocol: o.protocol, worker: typeof o.worker === 'number' ? o.worker : 0, options } };
}

/** Server side: decodes a request line. */
export function decodeRequest(line: string): Decoded<RequestMessage> {
  const o = parseObject(line);
  if (typeof o === 'string') return { ok: false, reason: o };
  if (!Number.isSafeInteger(o.id) || typeof o.call !== 'string') return { ok: false, reason: `request needs an integer "id" and a "call": ${excerpt(line)}` };
  return { ok: true, message: o as unknown as RequestMessage };
}

/** Server side: encodes a result or an error line for request `id`. */
export function encodeResponse(id: number, outcome: { readonly result: unknown } | { readonly error: string }): string {
  return `${JSON.stringify({ id, ...outcome })}\n`;
}

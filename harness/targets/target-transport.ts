import type { TargetFailureRule } from './target-failure.js';
import type { TargetRequest } from './target-request.js';

/** A transport's answer: the raw value, or a failure of the target. */
export type TransportReply =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly rule: TargetFailureRule;
      /** One clause: `exited with code 3`. */
      readonly what: string;
      readonly evidence?: Readonly<Record<string, unknown>>;
      /** True when the target cannot be used any more (crash, hang, garbage). */
      readonly fatal: boolean;
    };

/** How a {@link TargetSession} reaches a target: in-process calls or protocol lines. */
export interface TargetTransport {
  /** Sends request number `id` and waits at most `timeoutMs` for its answer; never rejects. */
  request(id: number, request: TargetRequest, timeoutMs: number): Promise<TransportReply>;
  /** Ends the target within `timeoutMs`; a failure to end cleanly is returned, never thrown. */
  stop(timeoutMs: number): Promise<TransportReply>;
}

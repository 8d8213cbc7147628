import type { Finding } from '../model/index.js';
import { describeRequest, type TargetRequest } from './target-request.js';

/**
 * Why a target failed, the `rule` of its `target-failure` finding:
 * `crash` (the process or module died), `hang` (no answer within the timeout), `garbage` (an
 * answer that is not the protocol), `wrong-count` / `bad-answer` (an answer of the wrong size or
 * shape), `error` (the target reported an error), `handshake` (no or wrong protocol greeting),
 * `unavailable` (the target had already failed).
 */
export type TargetFailureRule = 'crash' | 'hang' | 'garbage' | 'wrong-count' | 'bad-answer' | 'error' | 'handshake' | 'unavailable';

/** What an adapter knows about a failure. */
export interface TargetFailureInit {
  readonly target: string;
  readonly rule: TargetFailureRule;
  /** The request the failure happened on, with its number; absent during start. */
  readonly request?: { readonly id: number; readonly request: TargetRequest };
  /** What happened, one clause: `exited with code 3`. */
  readonly what: string;
  readonly evidence?: Readonly<Record<string, unknown>>;
}

/** Builds the `target-failure` {@link Finding} naming the target and the request. */
export function targetFailure(init: TargetFailureInit): Finding {
  const req = init.request;
  const on = req === undefined ? 'while starting' : `on request #${req.id} (${describeRequest(req.request)})`;
  const domain = req !== undefined && 'domain' in req.request ? req.request.domain : undefined;
  return {
    kind: 'target-failure',
    ...(domain === undefined ? {} : { domain }),
    message: `target ${JSON.stringify(init.target)} ${init.what} ${on}`,
    ids: [],
    owners: [],
    source: `target:${init.target}`,
    rule: init.rule,
    evidence: {
      target: init.target,
      ...(req === undefined ? {} : { requestId: req.id, call: req.request.call, request: describeRequest(req.request) }),
      ...init.evidence,
    },
  };
}

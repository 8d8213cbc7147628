import type { DomainName } from '../model/index.js';
import type { GenerateContext } from './target.js';

/** One call to a target, as data: what the adapters send and what findings name. */
export type TargetRequest =
  | { readonly call: 'generate'; readonly domain: DomainName; readonly context: GenerateContext; readonly count: number }
  | { readonly call: 'userContext'; readonly user: string; readonly op: string }
  | { readonly call: 'validate'; readonly domain: DomainName; readonly ids: readonly string[] }
  | { readonly call: 'parse'; readonly domain: DomainName; readonly ids: readonly string[] }
  | { readonly call: 'cleanupPatterns'; readonly user: string };

/** The calls of {@link TargetRequest}. */
export type TargetCall = TargetRequest['call'];

/** A short description for messages: `generate run ×1000`, `userContext for "u1"`. */
export function describeRequest(request: TargetRequest): string {
  switch (request.call) {
    case 'generate':
      return `generate ${request.domain} ×${request.count}`;
    case 'validate':
    case 'parse':
      return `${request.call} ${request.domain} ×${request.ids.length}`;
    case 'userContext':
      return `userContext for ${JSON.stringify(request.user)} op ${JSON.stringify(request.op)}`;
    case 'cleanupPatterns':
      return `cleanupPatterns for ${JSON.stringify(request.user)}`;
  }
}

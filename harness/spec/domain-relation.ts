import type { DomainName } from '../model/index.js';

/**
 * How two domains relate.
 * - `embeds`: `from` IDs carry their `to` parent's full ID in field `field` (run → thread).
 * - `tagged`: `from` IDs carry their owner's user tag in field `field` (session → user).
 * - `paired`: `from` and `to` IDs come in one-to-one pairs minted together (ws_client ↔ ws_conn);
 *   the pair is seen at run time, not inside the IDs.
 */
export interface DomainRelation {
  readonly kind: 'embeds' | 'tagged' | 'paired';
  readonly from: DomainName;
  readonly to: DomainName;
  /** The field of `from` holding the parent or tag; absent for `paired`. */
  readonly field?: string;
}

/** A pair of domains minted together one-to-one, declared in a catalog. */
export interface DomainPair {
  readonly a: DomainName;
  readonly b: DomainName;
}

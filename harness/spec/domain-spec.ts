import type { DomainName } from '../model/index.js';
import type { Field } from './field.js';

/**
 * One ID domain as data: ordered, typed fields joined by one separator character. From a spec,
 * {@link compileDomain} derives the parser, the formatter and the RE2 regex.
 */
export interface DomainSpec {
  readonly domain: DomainName;
  /** One printable ASCII character placed between consecutive fields. */
  readonly separator: string;
  readonly fields: readonly Field[];
  /** One line for people: what the domain's IDs name. */
  readonly description?: string;
}

/** Options of {@link defineDomain}. */
export interface DefineDomainOptions {
  /** The separator between fields. Default `_`. */
  readonly separator?: string;
  /** One line for people. Default: none. */
  readonly description?: string;
}

/** Builds a {@link DomainSpec}; validation happens when a catalog compiles it. */
export function defineDomain(domain: DomainName, fields: readonly Field[], options: DefineDomainOptions = {}): DomainSpec {
  return {
    domain,
    separator: options.separator ?? '_',
    fields,
    ...(options.description === undefined ? {} : { description: options.description }),
  };
}

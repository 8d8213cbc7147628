import type { DomainName } from '../model/index.js';

/** Field values of one ID by field name, literals included, parents as their full ID. */
export type IdFields = Readonly<Record<string, string>>;

/** An ID read under its domain's spec. */
export interface ParsedId {
  readonly domain: DomainName;
  readonly id: string;
  readonly fields: IdFields;
  /** Embedded parent IDs, parsed by their own domain's spec, by field name. */
  readonly parents: Readonly<Record<string, ParsedId>>;
}

/** Why an ID does not parse: the field (a dotted path into parents, e.g. `thread.op`) and why. */
export interface IdParseError {
  readonly domain: DomainName;
  readonly id: string;
  /** The field that failed, e.g. `random` or `thread.op` for a field of an embedded parent. */
  readonly field: string;
  /** Why, without the domain and field (e.g. `expected 24 characters, got 12`). */
  readonly reason: string;
  /** `parse(<domain>): field "<field>" <reason>`. */
  readonly message: string;
}

/** The outcome of parsing: the fields, or an error naming the field. Never throws. */
export type ParseResult = { readonly ok: true; readonly value: ParsedId } | { readonly ok: false; readonly error: IdParseError };

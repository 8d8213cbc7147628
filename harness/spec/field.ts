import type { DomainName } from '../model/index.js';

/** Lower-case hexadecimal digits, the alphabet of most random fields. */
export const HEX_LOWER = '0123456789abcdef';
/** Decimal digits. */
export const DIGITS = '0123456789';
/** Lower-case letters, digits and `_`: the default alphabet of an operation slug. */
export const SLUG_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789_';

interface FieldBase {
  /** Unique within its domain; parse results and errors use it (`op`, `thread`, `random`). */
  readonly name: string;
}

/** A fixed piece of text, such as the domain prefix `run`. It may contain the separator. */
export interface LiteralField extends FieldBase {
  readonly kind: 'literal';
  readonly value: string;
}

/**
 * An operation slug chosen by the caller (`chat`, `tool_call`). When the alphabet holds the
 * separator, the field is the domain's one variable-width field and is parsed from what the
 * fixed fields on its left and right leave over.
 */
export interface OpField extends FieldBase {
  readonly kind: 'op';
  readonly alphabet: string;
  readonly minLength: number;
  readonly maxLength: number;
}

/** A tag standing for the owning user; no two users may share one. */
export interface UserTagField extends FieldBase {
  readonly kind: 'user-tag';
  readonly alphabet: string;
  readonly length: number;
}

/** Milliseconds since the epoch as exactly `digits` decimal digits. */
export interface TimestampField extends FieldBase {
  readonly kind: 'timestamp';
  readonly digits: number;
  /** Promised non-decreasing in minting order within one worker. */
  readonly monotonic: boolean;
}

/**
 * Who a counter counts for. `user`: each user's IDs get 0, 1, 2, … (per worker), and a counter
 * shared across users leaks their activity; `worker`: one sequence per worker; `process`: one per
 * target process.
 */
export type CounterScope = 'user' | 'worker' | 'process';

/** A non-negative decimal counter without leading zeros, at most `maxDigits` digits. */
export interface CounterField extends FieldBase {
  readonly kind: 'counter';
  readonly maxDigits: number;
  readonly scope: CounterScope;
}

/** Random characters: exactly `length` from `alphabet`, claimed to carry `bits` of entropy. */
export interface RandomField extends FieldBase {
  readonly kind: 'random';
  readonly alphabet: string;
  readonly length: number;
  readonly bits: number;
}

/** The full ID of a parent in another domain, parsed by that domain's own spec. */
export interface ParentField extends FieldBase {
  readonly kind: 'parent';
  readonly domain: DomainName;
}

/** One typed, ordered part of an ID. */
export type Field = LiteralField | OpField | UserTagField | TimestampField | CounterField | RandomField | ParentField;

/** The kinds of {@link Field}. */
export type FieldKind = Field['kind'];

/** A literal field; `name` defaults to `prefix`. */
export function literal(value: string, name = 'prefix'): LiteralField {
  return { kind: 'literal', name, value };
}

/** An operation slug; defaults: name `op`, alphabet {@link SLUG_ALPHABET} (with `_`), 1–48 chars. */
export function opSlug(options: Partial<Omit<OpField, 'kind'>> = {}): OpField {
  return { kind: 'op', name: 'op', alphabet: SLUG_ALPHABET, minLength: 1, maxLength: 48, ...options };
}

/** A user tag; defaults: name `user`, 20 lower-case hex characters (80 bits). */
export function userTag(options: Partial<Omit<UserTagField, 'kind'>> = {}): UserTagField {
  return { kind: 'user-tag', name: 'user', alphabet: HEX_LOWER, length: 20, ...options };
}

/** A millisecond timestamp; defaults: name `ms`, 13 digits, monotonic. */
export function timestampMs(options: Partial<Omit<TimestampField, 'kind'>> = {}): TimestampField {
  return { kind: 'timestamp', name: 'ms', digits: 13, monotonic: true, ...options };
}

/** A counter; defaults: name `seq`, at most 15 digits, scope `worker`. */
export function counter(options: Partial<Omit<CounterField, 'kind'>> = {}): CounterField {
  return { kind: 'counter', name: 'seq', maxDigits: 15, scope: 'worker', ...options };
}

/** A random field; defaults: name `random`, 24 lower-case hex characters claiming 96 bits. */
export function random(options: Partial<Omit<RandomField, 'kind'>> = {}): RandomField {
  const alphabet = options.alphabet ?? HEX_LOWER;
  const length = options.length ?? 24;
  const bits = options.bits ?? Math.floor(length * Math.log2(new Set(alphabet).size));
  return { kind: 'random', name: 'random', alphabet, length, bits, ...options };
}

/** An embedded parent ID of `domain`; `name` defaults to the domain name. */
export function parent(domain: DomainName, name: string = domain): ParentField {
  return { kind: 'parent', name, domain };
}

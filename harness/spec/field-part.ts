import { UsageError } from '../model/index.js';
import { escapeRe2, re2CharClass } from './escape-re2.js';
import type { Field } from './field.js';
import type { DomainCodec } from './domain-codec.js';

/**
 * One field compiled against its domain's separator: how many separator-delimited tokens it
 * spans, its regex, and a checker. Internal to the spec layer.
 */
export interface FieldPart {
  readonly field: Field;
  /** Tokens the field spans, or `undefined` when it may hold the separator a variable number of times. */
  readonly tokens: number | undefined;
  /** The fewest tokens it can span. */
  readonly minTokens: number;
  /** Unanchored RE2 source matching exactly the valid values. */
  readonly regex: string;
  /** The parent's codec, for parent fields. */
  readonly parent: DomainCodec | undefined;
  /** `undefined` when `value` is valid, else the reason it is not. */
  check(value: string): string | undefined;
}

const MAX_LENGTH = 1000; // RE2's largest repetition count

function table(alphabet: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = 1;
  return t;
}

function allIn(value: string, allowed: Uint8Array): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || allowed[c] !== 1) return i;
  }
  return -1;
}

function specError(where: string, problem: string, remedy: string): UsageError {
  return new UsageError('IDGATE_BAD_SPEC', `compileDomain: ${where}: ${problem}`, remedy);
}

function checkAlphabet(where: string, alphabet: string, separator: string, mayHoldSeparator: boolean): void {
  if (alphabet.length === 0) throw specError(where, 'the alphabet is empty', 'give the field at least one character');
  escapeRe2(alphabet); // throws on non-ASCII
  if (!mayHoldSeparator && alphabet.includes(separator)) {
    throw specError(where, `the alphabet holds the separator ${JSON.stringify(separator)}`, 'remove the separator from the alphabet; only op fields and parents may contain it');
  }
}

function checkLength(where: string, what: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min || n > MAX_LENGTH) {
    throw specError(where, `${what} is ${n}`, `use an integer from ${min} to ${MAX_LENGTH}`);
  }
}

function charsRule(alphabet: string, separator: string, minLength: number, maxLength: number): (v: string) => string | undefined {
  const allowed = table(alphabet);
  const cls = re2CharClass(alphabet);
  const len = minLength === maxLength ? `${minLength}` : `${minLength} to ${maxLength}`;
  return (v) => {
    if (v.length < minLength || v.length > maxLength) return `expected ${len} characters from ${cls}, got ${v.length} in ${JSON.stringify(v)}`;
    const bad = allIn(v, allowed);
    if (bad < 0) return undefined;
    if (v[bad] === separator) return `holds the separator ${JSON.stringify(separator)}, which this field may not contain (value ${JSON.stringify(v)})`;
    return `character ${JSON.stringify(v[bad])} at ${bad} is not in ${cls} (value ${JSON.stringify(v)})`;
  };
}

function quantified(cls: string, min: number, max: number): string {
  return min === max ? `${cls}{${min}}` : `${cls}{${min},${max}}`;
}

function countOf(text: string, c: string): number {
  let n = 0;
  for (let i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) n++;
  return n;
}

/**
 * Compiles one field; throws {@link UsageError} naming the domain and field when the field is
 * malformed. `resolve` returns the codec of a parent domain.
 */
export function compileField(domain: string, field: Field, separator: string, resolve: (domain: string) => DomainCodec): FieldPart {
  const where = `domain ${JSON.stringify(domain)}, field ${JSON.stringify(field.name)}`;
  switch (field.kind) {
    case 'literal': {
      if (field.value.length === 0) throw specError(where, 'the literal is empty', 'give the literal at least one character or remove it');
      const regex = escapeRe2(field.value);
      const n = countOf(field.value, separator) + 1;
      const want = field.value;
      return { field, tokens: n, minTokens: n, regex, parent: undefined, check: (v) => (v === want ? undefined : `expected ${JSON.stringify(want)}, got ${JSON.stringify(v)}`) };
    }
    case 'op': {
      const open = field.alphabet.includes(separator);
      checkAlphabet(where, field.alphabet, separator, true);
      checkLength(where, 'minLength', field.minLength, 1);
      checkLength(where, 'maxLength', field.maxLength, field.minLength);
      return {
        field,
        tokens: open ? undefined : 1,
        minTokens: 1,
        regex: quantified(re2CharClass(field.alphabet), field.minLength, field.maxLength),
        parent: undefined,
        check: charsRule(field.alphabet, separator, field.minLength, field.maxLength),
      };
    }
    case 'user-tag':
    case 'random': {
      checkAlphabet(where, field.alphabet, separator, false);
      checkLength(where, 'length', field.length, 1);
      if (field.kind === 'random') {
        const capacity = field.length * Math.log2(new Set(field.alphabet).size);
        if (!(field.bits > 0) || field.bits > capacity + 1e-9) {
          throw specError(where, `claims ${field.bits} bits but ${field.length} characters of a ${new Set(field.alphabet).size}-letter alphabet hold at most ${capacity.toFixed(1)}`, 'lower the claimed bits or lengthen the field');
        }
      }
      return {
        field,
        tokens: 1,
        minTokens: 1,
        regex: quantified(re2CharClass(field.alphabet), field.length, field.length),
        parent: undefined,
        check: charsRule(field.alphabet, separator, field.length, field.length),
      };
    }
    case 'timestamp': {
      checkLength(where, 'digits', field.digits, 1);
      if (field.digits > 16) throw specError(where, `digits is ${field.digits}`, 'use at most 16 digits (milliseconds until year 318857)');
      const rule = charsRule('0123456789', separator, field.digits, field.digits);
      return { field, tokens: 1, minTokens: 1, regex: `[0-9]{${field.digits}}`, parent: undefined, check: rule };
    }
    case 'counter': {
      checkLength(where, 'maxDigits', field.maxDigits, 1);
      if (field.maxDigits > 16) throw specError(where, `maxDigits is ${field.maxDigits}`, 'use at most 16 digits');
      const rule = charsRule('0123456789', separator, 1, field.maxDigits);
      const regex = field.maxDigits === 1 ? '[0-9]' : `(?:0|[1-9][0-9]{0,${field.maxDigits - 1}})`;
      return {
        field,
        tokens: 1,
        minTokens: 1,
        regex,
        parent: undefined,
        check: (v) => rule(v) ?? (v.length > 1 && v[0] === '0' ? `has a leading zero (value ${JSON.stringify(v)})` : undefined),
      };
    }
    case 'parent': {
      const codec = resolve(field.domain);
      if (codec.spec.separator !== separator) {
        throw specError(where, `the parent domain ${JSON.stringify(field.domain)} uses separator ${JSON.stringify(codec.spec.separator)}, not ${JSON.stringify(separator)}`, 'give a domain and the parents it embeds the same separator');
      }
      return {
        field,
        tokens: codec.tokens,
        minTokens: codec.minTokens,
        regex: `(?:${codec.body})`,
        parent: codec,
        check: (v) => {
          const r = codec.parse(v);
          return r.ok ? undefined : r.error.reason;
        },
      };
    }
  }
}

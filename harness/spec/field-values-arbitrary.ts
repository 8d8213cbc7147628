import fc from 'fast-check';
import type { DomainName } from '../model/index.js';
import type { DomainCodec } from './domain-codec.js';
import type { Field } from './field.js';
import type { IdFields } from './parsed-id.js';

function chars(alphabet: string, minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...new Set(alphabet)), minLength, maxLength });
}

function fieldArbitrary(field: Field, separator: string, codecOf: (domain: DomainName) => DomainCodec): fc.Arbitrary<string> {
  switch (field.kind) {
    case 'literal':
      return fc.constant(field.value);
    case 'op': {
      const any = chars(field.alphabet, field.minLength, field.maxLength);
      if (!field.alphabet.includes(separator)) return any;
      // Values crowded with separators are where parsers go wrong; draw them often.
      const crowded = chars(`${separator}${field.alphabet[0] === separator ? field.alphabet[1] ?? '' : field.alphabet[0]!}`, field.minLength, field.maxLength);
      return fc.oneof(any, crowded);
    }
    case 'user-tag':
    case 'random':
      return chars(field.alphabet, field.length, field.length);
    case 'timestamp':
      return chars('0123456789', field.digits, field.digits);
    case 'counter':
      return fc.bigInt({ min: 0n, max: 10n ** BigInt(field.maxDigits) - 1n }).map(String);
    case 'parent': {
      const codec = codecOf(field.domain);
      return fieldValuesArbitrary(codec, codecOf).map((v) => codec.format(v));
    }
  }
}

/**
 * Arbitrary valid field values of `codec`'s domain (literals included, parents as full IDs),
 * for property tests here and in other layers. Operation slugs that may hold the separator are
 * often drawn crowded with it. `codecOf` resolves embedded parent domains (`catalog.codec`).
 */
export function fieldValuesArbitrary(codec: DomainCodec, codecOf: (domain: DomainName) => DomainCodec): fc.Arbitrary<IdFields> {
  const record: Record<string, fc.Arbitrary<string>> = {};
  for (const f of codec.spec.fields) record[f.name] = fieldArbitrary(f, codec.spec.separator, codecOf);
  return fc.record(record);
}

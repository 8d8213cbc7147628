export { compileCatalog, extendCatalog } from './domain-catalog.js';
export { compileDomain } from './domain-codec.js';
export { defineDomain } from './domain-spec.js';
export { DEFAULT_CATALOG, defaultCatalog } from './default-catalog.js';
export { escapeRe2, re2CharClass } from './escape-re2.js';
export { extractParent } from './extraction-rule.js';
export { DIGITS, HEX_LOWER, SLUG_ALPHABET, counter, literal, opSlug, parent, random, timestampMs, userTag } from './field.js';
export { fieldValuesArbitrary } from './field-values-arbitrary.js';

export type { CatalogDefinition, DomainCatalog } from './domain-catalog.js';
export type { DomainCodec } from './domain-codec.js';
export type { DomainPair, DomainRelation } from './domain-relation.js';
export type { DefineDomainOptions, DomainSpec } from './domain-spec.js';
export type { Re2Context } from './escape-re2.js';
export type { ExtractionRule, ReplacePrefixExtractionRule, SpecExtractionRule, TokensExtractionRule } from './extraction-rule.js';
export type { CounterField, CounterScope, Field, FieldKind, LiteralField, OpField, ParentField, RandomField, TimestampField, UserTagField } from './field.js';
export type { IdFields, IdParseError, ParseResult, ParsedId } from './parsed-id.js';

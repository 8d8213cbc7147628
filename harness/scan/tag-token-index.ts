import type { DomainCatalog, DomainCodec, Field } from '../spec/index.js';

/**
 * Where a domain's user tag sits among the ID's separator-delimited tokens, for SQL
 * (`splitByChar(sep, id)[k]`): 1-based from the left when every field before it spans a fixed
 * number of tokens, negative (from the right) when every field after it does; `undefined` when
 * the domain has no user tag or neither holds. Only IDs that match the domain's regex are split.
 */
export function tagTokenIndex(codec: DomainCodec, catalog: DomainCatalog): number | undefined {
  const fields = codec.spec.fields;
  const at = fields.findIndex((f) => f.kind === 'user-tag');
  if (at < 0) return undefined;
  const sep = codec.spec.separator;
  const span = (f: Field): number | undefined => {
    switch (f.kind) {
      case 'literal':
        return f.value.split(sep).length;
      case 'parent':
        return catalog.codec(f.domain).tokens;
      case 'op':
      case 'random':
      case 'user-tag':
        return f.alphabet.includes(sep) ? undefined : 1;
      default:
        return 1;
    }
  };
  if (span(fields[at]!) !== 1) return undefined;
  const sum = (fs: readonly Field[]) => fs.reduce<number | undefined>((n, f) => (n === undefined ? undefined : ((s) => (s === undefined ? undefined : n + s))(span(f))), 0);
  const left = sum(fields.slice(0, at));
  if (left !== undefined) return left + 1;
  const right = sum(fields.slice(at + 1));
  return right === undefined ? undefined : -(right + 1);
}

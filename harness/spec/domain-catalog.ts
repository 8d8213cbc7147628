import { UsageError } from '../model/index.js';
import type { DomainName } from '../model/index.js';
import { compileDomain, type DomainCodec } from './domain-codec.js';
import type { DomainPair, DomainRelation } from './domain-relation.js';
import type { DomainSpec } from './domain-spec.js';

/** A catalog as plain data: domain specs and the pairs minted together. */
export interface CatalogDefinition {
  readonly domains: readonly DomainSpec[];
  /** One-to-one pairs such as ws_client ↔ ws_conn. Default: none. */
  readonly pairs?: readonly DomainPair[];
}

/** A compiled, validated catalog: a codec per domain and every relation between domains. */
export interface DomainCatalog {
  readonly definition: CatalogDefinition;
  /** Domain names in definition order. */
  readonly domains: readonly DomainName[];
  /** Relations derived from parent and user-tag fields, plus the declared pairs. */
  readonly relations: readonly DomainRelation[];
  has(this: void, domain: DomainName): boolean;
  /** @throws UsageError when the catalog has no such domain */
  codec(this: void, domain: DomainName): DomainCodec;
}

/**
 * Adds `addition`'s domains to `base`, a domain of the same name replacing the base's one in
 * place; pairs are united. A plain function on data: the project's configuration supplies
 * `addition`.
 */
export function extendCatalog(base: CatalogDefinition, addition: CatalogDefinition): CatalogDefinition {
  const byName = new Map<DomainName, DomainSpec>();
  for (const s of base.domains) byName.set(s.domain, s);
  for (const s of addition.domains) byName.set(s.domain, s);
  const pairs = [...(base.pairs ?? []), ...(addition.pairs ?? [])];
  const seen = new Set<string>();
  return {
    domains: [...byName.values()],
    pairs: pairs.filter((p) => {
      const key = [p.a, p.b].sort().join('\u0000');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  };
}

/**
 * Validates and compiles every domain of `definition`. Throws {@link UsageError} naming the
 * domain and field on the first problem: a malformed or ambiguous spec, a parent domain the
 * catalog lacks, a cycle of parents, a duplicate domain, a pair naming an unknown domain.
 */
export function compileCatalog(definition: CatalogDefinition): DomainCatalog {
  const specs = new Map<DomainName, DomainSpec>();
  for (const s of definition.domains) {
    if (specs.has(s.domain)) {
      throw new UsageError('IDGATE_BAD_SPEC', `compileCatalog: domain ${JSON.stringify(s.domain)} is defined twice`, 'define each domain once; use extendCatalog to override one');
    }
    specs.set(s.domain, s);
  }
  const codecs = new Map<DomainName, DomainCodec>();
  const compiling: DomainName[] = [];
  const resolve = (domain: DomainName): DomainCodec => {
    const done = codecs.get(domain);
    if (done) return done;
    const spec = specs.get(domain);
    if (!spec) {
      const from = compiling.at(-1) ?? '(catalog)';
      throw new UsageError('IDGATE_BAD_SPEC', `compileCatalog: domain ${JSON.stringify(from)} embeds domain ${JSON.stringify(domain)}, which the catalog does not define`, `add a spec for ${JSON.stringify(domain)} or remove the parent field`);
    }
    if (compiling.includes(domain)) {
      throw new UsageError('IDGATE_BAD_SPEC', `compileCatalog: domains ${[...compiling, domain].join(' → ')} embed each other in a cycle`, 'break the cycle: an ID cannot contain itself');
    }
    compiling.push(domain);
    const codec = compileDomain(spec, resolve);
    compiling.pop();
    codecs.set(domain, codec);
    return codec;
  };
  for (const d of specs.keys()) resolve(d);

  const relations: DomainRelation[] = [];
  for (const s of specs.values()) {
    for (const f of s.fields) {
      if (f.kind === 'parent') relations.push({ kind: 'embeds', from: s.domain, to: f.domain, field: f.name });
      if (f.kind === 'user-tag') relations.push({ kind: 'tagged', from: s.domain, to: 'user', field: f.name });
    }
  }
  for (const p of definition.pairs ?? []) {
    for (const d of [p.a, p.b]) {
      if (!specs.has(d)) {
        throw new UsageError('IDGATE_BAD_SPEC', `compileCatalog: pair ${p.a} ↔ ${p.b} names domain ${JSON.stringify(d)}, which the catalog does not define`, 'define the domain or remove the pair');
      }
    }
    relations.push({ kind: 'paired', from: p.a, to: p.b }, { kind: 'paired', from: p.b, to: p.a });
  }

  return {
    definition,
    domains: [...specs.keys()],
    relations,
    has: (d) => codecs.has(d),
    codec: (d) => {
      const c = codecs.get(d);
      if (!c) {
        throw new UsageError('IDGATE_UNKNOWN_DOMAIN', `DomainCatalog.codec: no domain ${JSON.stringify(d)} in the catalog`, `use one of: ${[...codecs.keys()].join(', ')}; or add its spec with extendCatalog`);
      }
      return c;
    },
  };
}

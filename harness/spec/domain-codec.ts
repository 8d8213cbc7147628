import { UsageError, isDomainName } from '../model/index.js';
import type { DomainName } from '../model/index.js';
import type { DomainSpec } from './domain-spec.js';
import { escapeRe2 } from './escape-re2.js';
import { compileField, type FieldPart } from './field-part.js';
import type { IdFields, IdParseError, ParseResult, ParsedId } from './parsed-id.js';

/**
 * The parser, formatter and regex derived from one {@link DomainSpec}. `format` then `parse`
 * gives back the same fields, and `parse` then `format` the same ID (proved by property tests);
 * `parse(id).ok` holds exactly when `regex` matches `id`.
 */
export interface DomainCodec {
  readonly spec: DomainSpec;
  readonly domain: DomainName;
  /** Anchored RE2 source (`^…$`) for ClickHouse `match()`; also a valid JavaScript `RegExp`. */
  readonly regex: string;
  /** The unanchored body of {@link regex}, for embedding in a child domain's regex. */
  readonly body: string;
  /** Separator-delimited tokens an ID spans, or `undefined` when that varies. */
  readonly tokens: number | undefined;
  /** The fewest tokens an ID spans. */
  readonly minTokens: number;
  /** Reads an ID into its fields; never throws. */
  parse(this: void, id: string): ParseResult;
  /**
   * Builds an ID from field values (literals may be omitted).
   * @throws UsageError naming the field whose value is missing or invalid — for instance a value
   * holding the separator in a field that forbids it.
   */
  format(this: void, fields: IdFields): string;
  /** True when `id` parses; the compiled `regex`, run by JavaScript. */
  test(this: void, id: string): boolean;
  /**
   * The value of top-level field `name` when `id` parses, else `undefined`: one regex match and
   * no field objects, for hot loops that need one field (the scan's user tag). Throws
   * {@link UsageError} when the spec has no field `name`.
   */
  field(this: void, id: string, name: string): string | undefined;
}

function specError(domain: string, problem: string, remedy: string): UsageError {
  return new UsageError('IDGATE_BAD_SPEC', `compileDomain: domain ${JSON.stringify(domain)}: ${problem}`, remedy);
}

function validateSpec(spec: DomainSpec): void {
  if (!isDomainName(spec.domain)) {
    throw specError(String(spec.domain), 'is not a valid domain name', 'use snake_case: a lower-case letter, then lower-case letters, digits or _');
  }
  const sep = spec.separator;
  if (typeof sep !== 'string' || sep.length !== 1 || /[A-Za-z0-9]/.test(sep) || sep.charCodeAt(0) < 0x21 || sep.charCodeAt(0) > 0x7e) {
    throw specError(spec.domain, `separator ${JSON.stringify(sep)} is not one printable ASCII punctuation character`, 'use a single character such as "_", "-", ":" or "."');
  }
  if (spec.fields.length === 0) throw specError(spec.domain, 'has no fields', 'give the domain at least one field');
  const names = new Set<string>();
  for (const f of spec.fields) {
    if (typeof f.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(f.name) || names.has(f.name)) {
      throw specError(spec.domain, `field name ${JSON.stringify(f.name)} is empty, malformed or used twice`, 'give each field a unique identifier-like name');
    }
    names.add(f.name);
  }
}

/**
 * Compiles one spec. `resolve` returns the codec of a domain this one embeds (a catalog passes
 * its own lookup). Throws {@link UsageError} naming the domain and field when the spec is
 * malformed or ambiguous: at most one field (counting embedded parents) may hold the separator.
 */
export function compileDomain(spec: DomainSpec, resolve: (domain: DomainName) => DomainCodec): DomainCodec {
  validateSpec(spec);
  const sep = spec.separator;
  const parts = spec.fields.map((f) => compileField(spec.domain, f, sep, resolve));
  const variable = parts.flatMap((p, i) => (p.tokens === undefined ? [i] : []));
  if (variable.length > 1) {
    const names = variable.map((i) => JSON.stringify(parts[i]!.field.name)).join(' and ');
    throw specError(spec.domain, `fields ${names} may both hold the separator ${JSON.stringify(sep)}, so an ID could split in more than one way`, 'remove the separator from all but one of them (alphabet of op fields, or of the embedded parent domain)');
  }
  // The one variable field — or, when every field is fixed, the last one — takes whatever the
  // fixed fields on its left and right leave, so a stray separator surfaces in a named field.
  const v = variable[0] ?? parts.length - 1;
  const rightTokens = parts.slice(v + 1).reduce((n, p) => n + p.tokens!, 0);
  const fixed = variable.length === 0 ? parts.reduce((n, p) => n + p.tokens!, 0) : undefined;
  const minTokens = parts.reduce((n, p) => n + p.minTokens, 0);
  const body = parts.map((p) => p.regex).join(escapeRe2(sep));
  const regex = `^${body}$`;
  const compiled = new RegExp(regex);
  // Fast path: one native match with a group per field. Each part's regex matches exactly its
  // valid values and holds no capturing group of its own, so a match is a valid ID split the
  // same way the token walk below splits it; the walk remains for IDs that do not match, to
  // name the failing field.
  const fast = new RegExp(`^${parts.map((p) => `(${p.regex})`).join(escapeRe2(sep))}$`);
  const domain = spec.domain;

  function fail(id: string, field: string, reason: string): ParseResult {
    const error: IdParseError = { domain, id, field, reason, message: `parse(${domain}): field "${field}" ${reason}` };
    return { ok: false, error };
  }

  function take(part: FieldPart, id: string, value: string, fields: Record<string, string>, parents: Record<string, ParsedId>): ParseResult | undefined {
    const name = part.field.name;
    if (part.parent !== undefined) {
      const r = part.parent.parse(value);
      if (!r.ok) return fail(id, `${name}.${r.error.field}`, r.error.reason);
      parents[name] = r.value;
    } else {
      const reason = part.check(value);
      if (reason !== undefined) return fail(id, name, reason);
    }
    fields[name] = value;
    return undefined;
  }

  function parse(id: string): ParseResult {
    if (typeof id !== 'string') return fail(String(id), parts[0]!.field.name, `expected a string, got ${typeof id}`);
    const m = fast.exec(id);
    if (m !== null) {
      const fields: Record<string, string> = {};
      const parents: Record<string, ParsedId> = {};
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i]!;
        const value = m[i + 1]!;
        fields[p.field.name] = value;
        if (p.parent !== undefined) {
          const r = p.parent.parse(value);
          if (!r.ok) return fail(id, `${p.field.name}.${r.error.field}`, r.error.reason);
          parents[p.field.name] = r.value;
        }
      }
      return { ok: true, value: { domain, id, fields, parents } };
    }
    const tokens = id.split(sep);
    const n = tokens.length;
    const fields: Record<string, string> = {};
    const parents: Record<string, ParsedId> = {};
    let pos = 0;
    for (let i = 0; i < v; i++) {
      const p = parts[i]!;
      const k = p.tokens!;
      if (pos + k > n) return fail(id, p.field.name, `is missing: the ID has only ${n} parts separated by ${JSON.stringify(sep)}`);
      const bad = take(p, id, k === 1 ? tokens[pos]! : tokens.slice(pos, pos + k).join(sep), fields, parents);
      if (bad) return bad;
      pos += k;
    }
    const end = n - rightTokens;
    const pv = parts[v]!;
    if (end - pos < pv.minTokens) return fail(id, pv.field.name, `is missing: the ID has only ${n} parts separated by ${JSON.stringify(sep)}`);
    const bad = take(pv, id, end - pos === 1 ? tokens[pos]! : tokens.slice(pos, end).join(sep), fields, parents);
    if (bad) return bad;
    pos = end;
    for (let i = v + 1; i < parts.length; i++) {
      const p = parts[i]!;
      const k = p.tokens!;
      const bad2 = take(p, id, k === 1 ? tokens[pos]! : tokens.slice(pos, pos + k).join(sep), fields, parents);
      if (bad2) return bad2;
      pos += k;
    }
    return { ok: true, value: { domain, id, fields, parents } };
  }

  const groups = new Map(parts.map((p, i) => [p.field.name, i + 1]));
  function field(id: string, name: string): string | undefined {
    const g = groups.get(name);
    if (g === undefined) throw new UsageError('IDGATE_NO_FIELD', `DomainCodec.field(${domain}): the spec has no field ${JSON.stringify(name)}`, `ask for one of ${[...groups.keys()].join(', ')}`);
    if (typeof id !== 'string') return undefined;
    const m = fast.exec(id);
    return m === null ? undefined : m[g];
  }

  function format(values: IdFields): string {
    const out: string[] = [];
    for (const p of parts) {
      const name = p.field.name;
      const given = values[name];
      const value = given ?? (p.field.kind === 'literal' ? p.field.value : undefined);
      if (typeof value !== 'string') {
        throw new UsageError('IDGATE_FORMAT_FIELD', `DomainCodec.format(${domain}): field "${name}" has no value`, `pass a string for "${name}" among the fields`);
      }
      const reason = p.check(value);
      if (reason !== undefined) {
        throw new UsageError('IDGATE_FORMAT_FIELD', `DomainCodec.format(${domain}): field "${name}" ${reason}`, `pass a value for "${name}" that its spec allows`);
      }
      out.push(value);
    }
    return out.join(sep);
  }

  return {
    spec,
    domain,
    regex,
    body,
    tokens: fixed,
    minTokens,
    parse,
    format,
    test: (id) => compiled.test(id),
    field,
  };
}

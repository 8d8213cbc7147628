import { UsageError, type DomainName } from '../model/index.js';
import type { DomainCatalog, DomainCodec, ParseResult } from '../spec/index.js';

/** An ID found in a key name or a value, read under the domain its prefix names. */
export interface LocatedId {
  readonly domain: DomainName;
  readonly id: string;
  /** The codec's reading; `ok: false` is a malformed ID (a `pattern` finding). */
  readonly parsed: ParseResult;
}

/** Options of {@link IdLocator}. */
export interface IdLocatorOptions {
  /** Only IDs of these domains are located. Default: every domain with a literal prefix. */
  readonly domains?: readonly DomainName[];
}

interface Prefix {
  readonly text: string;
  readonly codec: DomainCodec;
}

const ASCII_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Finds IDs inside arbitrary text (a Redis key name, a value, a JSON string). Text is cut into
 * tokens of ASCII letters, digits and the catalog's separators; a token is a candidate ID of a
 * domain when it starts with that domain's literal prefix and separator (`session_`; the longest
 * prefix wins, so `run_thread_…` is a run) and holds at least one digit — which keeps words such
 * as `user_agent` or `user_created` out. A candidate that does not parse is still returned: it is
 * a malformed ID. Domains whose first field is not a literal cannot be located this way and are
 * refused when named in `domains`.
 */
export class IdLocator {
  private readonly prefixes: readonly Prefix[];
  private readonly token: RegExp;

  constructor(catalog: DomainCatalog, options: IdLocatorOptions = {}) {
    const names = options.domains ?? catalog.domains;
    const prefixes: Prefix[] = [];
    let chars = ASCII_ALNUM;
    for (const name of names) {
      const codec = catalog.codec(name);
      const first = codec.spec.fields[0];
      if (first?.kind !== 'literal' || first.value === '') {
        if (options.domains !== undefined) {
          throw new UsageError('IDGATE_SCAN_DOMAIN', `IdLocator: domain ${JSON.stringify(name)} does not start with a literal prefix, so its IDs cannot be told apart in key names and values`, 'scan a domain whose spec starts with literal(<prefix>), or use idgate scan clickhouse with --id-column');
        }
        continue;
      }
      prefixes.push({ text: `${first.value}${codec.spec.separator}`, codec });
      for (const c of `${first.value}${codec.spec.separator}`) if (!chars.includes(c)) chars += c;
    }
    this.prefixes = prefixes.sort((a, b) => b.text.length - a.text.length);
    const cls = [...chars].map((c) => (/[A-Za-z0-9]/.test(c) ? c : `\\${c}`)).join('');
    this.token = new RegExp(`[${cls}]+`, 'g');
  }

  /** The domains this locator looks for, longest prefix first. */
  get domains(): readonly DomainName[] {
    return this.prefixes.map((p) => p.codec.domain);
  }

  /** The domain whose prefix `token` starts with, if it is a candidate ID (see the class doc). */
  domainOf(token: string): DomainCodec | undefined {
    if (!/[0-9]/.test(token)) return undefined;
    for (const p of this.prefixes) if (token.length > p.text.length && token.startsWith(p.text)) return p.codec;
    return undefined;
  }

  /** Every candidate ID in `text`, in order of appearance. */
  locate(text: string): LocatedId[] {
    const out: LocatedId[] = [];
    for (const m of text.matchAll(this.token)) {
      const codec = this.domainOf(m[0]);
      if (codec !== undefined) out.push({ domain: codec.domain, id: m[0], parsed: codec.parse(m[0]) });
    }
    return out;
  }
}

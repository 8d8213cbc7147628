import { UsageError, type DomainName } from '../model/index.js';
import type { DomainCatalog, DomainCodec, ParseResult } from '../spec/index.js';

/** An ID found in a key name or a value, read under the domain its prefix names. */
export interface LocatedId {
  readonly domain: DomainName;
  readonly id: string;
  /** The codec's reading (parsed on first access); `ok: false` is a malformed ID (a `pattern` finding). */
  readonly parsed: ParseResult;
}

/** Options of {@link IdLocator}. */
export interface IdLocatorOptions {
  /** Only IDs of these domains are located. Default: every domain with a literal prefix. */
  readonly domains?: readonly DomainName[];
}

/**
 * A located ID whose parse runs on first use: most occurrences of an ID the scan has seen before
 * (and an owner's own ID in a key name) never need the codec.
 */
class Located implements LocatedId {
  private result: ParseResult | undefined;

  constructor(
    readonly domain: DomainName,
    readonly id: string,
    private readonly codec: DomainCodec,
  ) {}

  get parsed(): ParseResult {
    return (this.result ??= this.codec.parse(this.id));
  }
}

interface Prefix {
  readonly text: string;
  readonly codec: DomainCodec;
}

const TOKEN = 1;
const DIGIT = 2;

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
  /** UTF-16 code unit → 0 outside tokens, else {@link TOKEN}, or {@link TOKEN} | {@link DIGIT} for 0–9. */
  private readonly charClass = new Uint8Array(65_536);
  /** UTF-16 code unit → the prefixes starting with it, longest first. */
  private readonly byFirst: (Prefix[] | undefined)[] = [];

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
    for (const c of chars) this.charClass[c.charCodeAt(0)] = /[0-9]/.test(c) ? TOKEN | DIGIT : TOKEN;
    for (const p of this.prefixes) (this.byFirst[p.text.charCodeAt(0)] ??= []).push(p);
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

  /**
   * Every candidate ID in `text`, in order of appearance. A hand-written tokenizer: only tokens
   * that hold a digit and start with a prefix's first character become strings (the regex it
   * replaced, with `domainOf` per token, cost the Redis scan about a third of its time).
   */
  locate(text: string): LocatedId[] {
    const out: LocatedId[] = [];
    const cls = this.charClass;
    const byFirst = this.byFirst;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const first = text.charCodeAt(i);
      if (cls[first] === 0) {
        i++;
        continue;
      }
      const start = i;
      const candidates = byFirst[first];
      if (candidates === undefined) {
        // No prefix starts with this character: skip the token without looking at its digits.
        for (i++; i < n && cls[text.charCodeAt(i)] !== 0; i++);
        continue;
      }
      let seen = 0;
      for (; i < n; i++) {
        const k = cls[text.charCodeAt(i)]!;
        if (k === 0) break;
        seen |= k;
      }
      if ((seen & DIGIT) === 0) continue;
      for (const p of candidates) {
        if (i - start > p.text.length && text.startsWith(p.text, start)) {
          const id = text.slice(start, i);
          out.push(new Located(p.codec.domain, id, p.codec));
          break;
        }
      }
    }
    return out;
  }
}

// scheme://user:password@ or scheme://token@ — anything between `//` and `@` is a credential.
const CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"<>]+@/gi;
// Query-string secrets: ?password=…, &token=…
const QUERY_SECRETS = /([?&](?:password|passwd|pwd|token|secret|access_key|api_key)=)[^&\s'"<>]+/gi;

/** `text` with the credentials of every URL in it replaced by `***` (user, password, query secrets). */
export function redactText(text: string): string {
  return text.replace(CREDENTIALS, '$1***@').replace(QUERY_SECRETS, '$1***');
}

/**
 * A deep copy of `value` with {@link redactText} applied to every string in it (keys too).
 * Reports pass through this before they are written: credentials never appear in a report.
 */
export function redactSecrets<T>(value: T): T {
  return walk(value) as T;
}

function walk(v: unknown): unknown {
  if (typeof v === 'string') return redactText(v);
  if (Array.isArray(v)) return v.map(walk);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[redactText(k)] = walk(x);
    return out;
  }
  return v;
}

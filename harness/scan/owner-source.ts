import { UsageError } from '../model/index.js';

/**
 * Where the owner (user) of a Redis key's IDs is read from:
 * - `key:<i>` — part `i` (0-based; negative counts from the end) of the key name split on `:`;
 * - `field:<name>` — the value of a hash field;
 * - `json:<path>` — a dotted path (`owner.id`, `$.owner.id`, `users.0`) into a string value
 *   holding JSON.
 */
export type OwnerSource =
  | { readonly kind: 'key'; readonly index: number }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'json'; readonly path: readonly string[] };

/** What one key holds, as the owner source reads it. */
export interface KeyContents {
  readonly key: string;
  /** The value of a string key. */
  readonly text?: string;
  /** The fields of a hash key. */
  readonly hash?: ReadonlyMap<string, string>;
}

/**
 * Parses `--owner-from`. Throws {@link UsageError} naming the flag and the three forms.
 */
export function parseOwnerSource(text: string, api = 'idgate scan redis'): OwnerSource {
  const bad = () =>
    new UsageError('IDGATE_SCAN_OWNER_FROM', `${api}: --owner-from ${JSON.stringify(text)} is not key:<index>, field:<name> or json:<path>`, 'write e.g. --owner-from key:1 (user:<owner>:…), --owner-from field:owner (a hash field) or --owner-from json:owner.id');
  const colon = text.indexOf(':');
  if (colon < 0) throw bad();
  const kind = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (rest === '') throw bad();
  if (kind === 'key') {
    if (!/^-?\d{1,4}$/.test(rest)) throw bad();
    return { kind, index: Number(rest) };
  }
  if (kind === 'field') return { kind, name: rest };
  if (kind === 'json') {
    const path = rest.replace(/^\$\.?/, '').split('.').filter((p) => p !== '');
    if (path.length === 0) throw bad();
    return { kind, path };
  }
  throw bad();
}

/** The owner `source` reads out of `contents`, or `undefined` where it finds none. */
export function ownerOf(source: OwnerSource, contents: KeyContents): string | undefined {
  switch (source.kind) {
    case 'key': {
      const v = keyPart(contents.key, source.index);
      return v === undefined || v === '' ? undefined : v;
    }
    case 'field': {
      const v = contents.hash?.get(source.name);
      return v === undefined || v === '' ? undefined : v;
    }
    case 'json': {
      if (contents.text === undefined) return undefined;
      let node: unknown;
      try {
        node = JSON.parse(contents.text);
      } catch {
        return undefined;
      }
      for (const step of source.path) {
        if (node === null || typeof node !== 'object') return undefined;
        node = (node as Record<string, unknown>)[step];
      }
      return typeof node === 'string' && node !== '' ? node : typeof node === 'number' ? String(node) : undefined;
    }
  }
}

/** Part `index` (negative: from the end) of `key` split on `:`, as `key.split(':').at(index)` without the array. */
function keyPart(key: string, index: number): string | undefined {
  if (index >= 0) {
    let start = 0;
    for (let i = 0; i < index; i++) {
      const colon = key.indexOf(':', start);
      if (colon < 0) return undefined;
      start = colon + 1;
    }
    const end = key.indexOf(':', start);
    return key.slice(start, end < 0 ? key.length : end);
  }
  let end = key.length;
  for (let i = -1; i > index; i--) {
    const colon = key.lastIndexOf(':', end - 1);
    if (colon < 0 || end === 0) return undefined;
    end = colon;
  }
  const colon = end === 0 ? -1 : key.lastIndexOf(':', end - 1);
  return key.slice(colon + 1, end);
}

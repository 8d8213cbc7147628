/**
 * What an expression names, as a path from a module: `['uuid', 'uuid4']` for `uuid.uuid4`,
 * `['crypto', 'randomUUID']` for `randomUUID` imported from `node:crypto`. `null` when the
 * expression names nothing known (a local, a parameter, a call result).
 */
export type SymbolPath = readonly string[] | null;

/** Appends `name` to `path`; `null` stays `null`. */
export function extendPath(path: SymbolPath, name: string): SymbolPath {
  return path === null ? null : [...path, name];
}

/** True when `path` is exactly `expected`. */
export function pathIs(path: SymbolPath, ...expected: string[]): boolean {
  return path !== null && path.length === expected.length && path.every((p, i) => p === expected[i]);
}

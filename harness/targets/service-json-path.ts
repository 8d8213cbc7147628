/**
 * Reads a JSON path of the subset `$`, `.name` and `[index]` (e.g. `$.data.ids[0]`) out of a
 * parsed JSON value; undefined where the path leads nowhere. Throws RangeError for a path
 * outside the subset.
 */
export function readJsonPath(value: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new RangeError(`readJsonPath: ${JSON.stringify(path)} must start with $; write e.g. $.data.id`);
  const step = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]/y;
  let at: unknown = value;
  step.lastIndex = 1;
  while (step.lastIndex < path.length) {
    const m = step.exec(path);
    if (m === null) throw new RangeError(`readJsonPath: ${JSON.stringify(path)} is not of the form $.a.b[0]; write names after dots and indexes in brackets`);
    if (at === null || typeof at !== 'object') return undefined;
    at = m[1] !== undefined ? (Array.isArray(at) ? undefined : (at as Record<string, unknown>)[m[1]]) : Array.isArray(at) ? at[Number(m[2])] : undefined;
  }
  return at;
}

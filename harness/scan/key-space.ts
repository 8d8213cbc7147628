import type { LocatedId } from './id-locator.js';
import type { OwnerSource } from './owner-source.js';

/**
 * The key space a key belongs to: its name with every ID replaced by `<domain>` and, when the
 * owner is read from a key part, that part by `<owner>` — `user:u1:session:session_…` and
 * `user:u2:session:session_…` are both `user:<owner>:session:<session>`. One ID naming two keys
 * of one key space is a duplicate; `session:<session>` and `session:<session>:meta` are two key
 * spaces, so one session having both is not.
 */
export function keySpaceOf(key: string, inName: readonly LocatedId[], owner: OwnerSource | undefined): string {
  let space = owner?.kind === 'key' ? withOwnerPart(key, owner.index) : key;
  if (inName.length === 1) return space.replaceAll(inName[0]!.id, `<${inName[0]!.domain}>`);
  if (inName.length === 2) {
    // The common owner-plus-ID key, without copying and sorting: the longer first, the first on a tie.
    const [a, b] = inName[0]!.id.length >= inName[1]!.id.length ? [inName[0]!, inName[1]!] : [inName[1]!, inName[0]!];
    return space.replaceAll(a.id, `<${a.domain}>`).replaceAll(b.id, `<${b.domain}>`);
  }
  // Longest IDs first, so an ID that embeds another (run ⊃ thread) is replaced whole.
  for (const l of [...inName].sort((a, b) => b.id.length - a.id.length)) space = space.replaceAll(l.id, `<${l.domain}>`);
  return space;
}

/** `key` with its `:`-separated part `index` (negative: from the end) replaced by `<owner>`, if it has that part. */
function withOwnerPart(key: string, index: number): string {
  let start: number;
  let end: number;
  if (index >= 0) {
    start = 0;
    for (let i = 0; i < index; i++) {
      const colon = key.indexOf(':', start);
      if (colon < 0) return key;
      start = colon + 1;
    }
    end = key.indexOf(':', start);
    if (end < 0) end = key.length;
  } else {
    end = key.length;
    for (let i = -1; i > index; i--) {
      const colon = end === 0 ? -1 : key.lastIndexOf(':', end - 1);
      if (colon < 0) return key;
      end = colon;
    }
    start = end === 0 ? 0 : key.lastIndexOf(':', end - 1) + 1;
  }
  return `${key.slice(0, start)}<owner>${key.slice(end)}`;
}

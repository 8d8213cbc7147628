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
  let parts = key.split(':');
  if (owner?.kind === 'key') {
    const i = owner.index < 0 ? parts.length + owner.index : owner.index;
    if (i >= 0 && i < parts.length) parts = parts.map((p, j) => (j === i ? '<owner>' : p));
  }
  let space = parts.join(':');
  // Longest IDs first, so an ID that embeds another (run ⊃ thread) is replaced whole.
  for (const l of [...inName].sort((a, b) => b.id.length - a.id.length)) space = space.split(l.id).join(`<${l.domain}>`);
  return space;
}

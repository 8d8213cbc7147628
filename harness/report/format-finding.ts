import type { Finding } from '../model/index.js';

/** Options of {@link formatFinding}. */
export interface FormatFindingOptions {
  /** User IDs by owner index, to show owners as people know them. Default: indexes only. */
  readonly owners?: (index: number) => string | undefined;
  /** The replay command when the finding carries none. Default: none. */
  readonly replay?: string;
  /** IDs and owners shown at most. Default: 5. */
  readonly maxItems?: number;
  /** A tag after the kind, e.g. `known`. Default: none. */
  readonly tag?: string;
}

/**
 * One finding as a person reads it in a terminal: kind (and rule), domain and message, the IDs,
 * the owners as user IDs, why, and the command that replays it. Bounded: a few IDs and owners.
 */
export function formatFinding(f: Finding, options: FormatFindingOptions = {}): string {
  const max = options.maxItems ?? 5;
  const more = (n: number) => (n > max ? `, … (${n} in all)` : '');
  const lines = [`[${f.kind}${f.rule === undefined ? '' : `/${f.rule}`}]${options.tag === undefined ? '' : ` (${options.tag})`} ${f.domain !== undefined && !f.message.startsWith(`${f.domain}:`) ? `${f.domain}: ` : ''}${f.message}`];
  if (f.ids.length > 0) lines.push(`  IDs: ${f.ids.slice(0, max).map((i) => JSON.stringify(i)).join(', ')}${more(f.ids.length)}`);
  if (f.owners.length > 0) lines.push(`  owners: ${f.owners.slice(0, max).map((o) => `${o} (${options.owners?.(o) ?? '?'})`).join(', ')}${more(f.owners.length)}`);
  const examples = f.evidence.examples;
  if (Array.isArray(examples) && examples.length > 0) lines.push(`  why: ${String(examples[0])}`);
  const replay = f.replay?.command ?? options.replay;
  if (replay !== undefined) lines.push(`  replay: ${replay}${f.replay?.path === undefined ? '' : ` (path ${f.replay.path})`}`);
  return lines.join('\n');
}

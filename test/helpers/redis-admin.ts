import { RespConnection, RespErrorReply, type RespReply } from '../../harness/ledger/index.js';
import type { Finding } from '../../harness/model/index.js';
import { respCommand } from '../../harness/scan/index.js';

/** Sends one command over an admin connection; a Redis error reply throws, naming the command. */
export async function call(c: RespConnection, ...args: string[]): Promise<RespReply> {
  const [r] = await c.request(respCommand(args), 1);
  if (r instanceof RespErrorReply) throw new Error(`${args[0]}: ${r.message}`);
  return r!;
}

/** A reply as text. */
export const text = (r: RespReply): string => (Buffer.isBuffer(r) ? r.toString('utf8') : typeof r === 'string' || typeof r === 'number' ? String(r) : JSON.stringify(r));

/** Command name → calls, from INFO commandstats: what a read-only scan must not have sent. */
export async function commandStats(c: RespConnection): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const line of text(await call(c, 'INFO', 'commandstats')).split('\r\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

/** What a Redis scan's finding list says, as `kind/domain/rule` → sorted IDs (user 7's shared tag named, not spelled out). */
export function scanSummary(findings: readonly Finding[]): Record<string, string[]> {
  return Object.fromEntries(findings.map((f) => [`${f.kind}/${f.domain ?? ''}/${f.rule ?? ''}`, f.rule === 'shared-user-tag' ? f.ids.map((id) => (id.startsWith('session_0007') ? '(a session tagged for user 7)' : id)) : [...f.ids].sort()]));
}

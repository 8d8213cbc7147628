import type { CheckContext } from './check.js';
import { ExampleSink } from './example-sink.js';
import type { FlowCheck, ObservedFlow } from './flow-check.js';

/**
 * `isolation` of cleanup, judged from the golden flow's exercise in real Redis: each user's
 * state was written under the keys its IDs imply, and each user's cleanup applied the target's
 * declared patterns as a server does (SCAN MATCH + delete). Rules:
 * - `cleanup-reaches-other-user`: a user's patterns matched (and deleted) another user's key
 *   (`*{user[:8]}*` does, for every user sharing the first 8 characters);
 * - `cleanup-other-user-gone`: a SCAN found a key missing whose owner had not cleaned up yet;
 * - `cleanup-leaves-own-state`: a SCAN after a user's cleanup still found that user's key of a
 *   domain that carries a user tag (so the target could have named it in a pattern).
 */
export function cleanupCheck(context: CheckContext): FlowCheck {
  return {
    name: 'cleanup',
    judge(flow: ObservedFlow) {
      const sink = new ExampleSink('isolation', 'cleanup', context);
      const ex = flow.cleanup;
      if (ex === undefined) return [];
      const user = (i: number) => JSON.stringify(context.users[i]);
      const cleanedAt = new Map<number, number>();
      for (const c of ex.cleanups) {
        cleanedAt.set(c.owner, c.at);
        for (const k of c.matched) {
          const key = ex.keys[k]!;
          if (key.owner !== c.owner) {
            sink.add(key.domain, 'cleanup-reaches-other-user', key.id, key.owner, `the cleanup of ${user(c.owner)} with ${JSON.stringify(c.patterns)} deleted ${key.domain} key ${JSON.stringify(ex.prefix + key.id)} of ${user(key.owner)}`);
          }
        }
      }
      const tagged = (d: string) => context.catalog.has(d) && context.catalog.codec(d).spec.fields.some((f) => f.kind === 'user-tag');
      for (const scan of ex.scans) {
        const present = new Set(scan.present);
        ex.keys.forEach((key, k) => {
          if (key.at > scan.at) return;
          const cleaned = cleanedAt.get(key.owner);
          const ownCleanupDone = cleaned !== undefined && cleaned < scan.at;
          if (!ownCleanupDone && !present.has(k)) {
            sink.add(key.domain, 'cleanup-other-user-gone', key.id, key.owner, `a SCAN found ${key.domain} key ${JSON.stringify(ex.prefix + key.id)} of ${user(key.owner)} gone before that user's own cleanup`);
          } else if (ownCleanupDone && present.has(k) && tagged(key.domain)) {
            sink.add(key.domain, 'cleanup-leaves-own-state', key.id, key.owner, `a SCAN after the cleanup of ${user(key.owner)} still found its ${key.domain} key ${JSON.stringify(ex.prefix + key.id)}`);
          }
        });
      }
      const what: Record<string, string> = {
        'cleanup-reaches-other-user': "key(s) of one user deleted by another user's cleanup (the target's declared patterns reach beyond their user)",
        'cleanup-other-user-gone': "key(s) gone before their own user's cleanup (another user's cleanup removed them)",
        'cleanup-leaves-own-state': "key(s) of a user still in Redis after that user's cleanup (the declared patterns miss them)",
      };
      return sink.findings((domain, rule, count) => `${domain}: ${count} ${what[rule] ?? rule}`, () => ({ target: flow.target, users: flow.users.length, keys: ex.keys.length }));
    },
  };
}

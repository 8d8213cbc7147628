import type { Finding, FindingKind } from '../model/index.js';
import { readJsonPath, type ServiceObservations, type ServiceSpec, type SocketClose } from '../targets/index.js';

/** What {@link judgeService} knows about the run. */
export interface ServiceJudgeContext {
  readonly spec: ServiceSpec;
  /** The run's user table; owner i is `users[i]`. */
  readonly users: readonly string[];
  /** Examples kept per finding. */
  readonly maxExamples: number;
  readonly replay?: Finding['replay'];
}

interface Bucket {
  kind: FindingKind;
  rule: string;
  domain?: string;
  count: number;
  ids: string[];
  owners: Set<number>;
  examples: Record<string, unknown>[];
  first: string;
}

const WHAT: Readonly<Record<string, string>> = {
  'event-wrong-user': 'event(s) delivered to a user carrying IDs of another user',
  'event-unknown-id': 'event(s) carrying IDs no user was given',
  'event-not-delivered': 'ID(s) a user sent that never came back to that user',
  'cleanup-reaches-other-user': "key(s) of one user removed by another user's disconnect",
  'state-left-behind': "key(s) still in the service's Redis after their user disconnected",
  'state-missing-before-disconnect': "key(s) of a user gone before that user's own disconnect",
  'socket-closed': 'socket(s) closed by the service in the middle of the golden path',
  hang: 'step(s) the service did not answer in time',
  error: 'step(s) the service answered with an error',
  'bad-answer': 'answer(s) without the IDs the service spec says they carry',
};

/**
 * Judges the service golden path's observations (never calling the service): `isolation` when
 * an event carries another user's IDs, a sent message does not come back to its sender, a
 * disconnect removes another user's keys (quoting that user's WebSocket close code, 1011 where
 * the service closed it), or a user's keys stay after its disconnect; `target-failure` for
 * steps that hung, failed or were cut by a close no other user's cleanup explains. One finding
 * per rule, its message naming the first user, event and IDs; `evidence.examples` holds one line per
 * case and `evidence.cases` the same cases as data (user, event, IDs, close code).
 */
export function judgeService(obs: ServiceObservations, context: ServiceJudgeContext): Finding[] {
  const buckets = new Map<string, Bucket>();
  const name = (i: number) => JSON.stringify(context.users[i] ?? `#${i}`);
  const add = (kind: FindingKind, rule: string, domain: string | undefined, ids: readonly string[], owners: readonly number[], detail: string, example: Record<string, unknown>) => {
    let b = buckets.get(rule);
    if (b === undefined) {
      b = { kind, rule, ...(domain === undefined ? {} : { domain }), count: 0, ids: [], owners: new Set(), examples: [], first: detail };
      buckets.set(rule, b);
    }
    b.count++;
    if (b.examples.length < context.maxExamples) {
      b.ids.push(...ids);
      for (const o of owners) b.owners.add(o);
      b.examples.push({ detail, ...example });
    }
  };
  // An ID given to two users is the ledger's multi-owner finding; here it is either's own.
  const ownersOf = new Map<string, Set<number>>();
  for (const s of obs.ids) {
    const set = ownersOf.get(s.id) ?? new Set<number>();
    set.add(s.owner);
    ownersOf.set(s.id, set);
  }
  const closeOf = (c: SocketClose | undefined) => (c === undefined || c.byClient ? undefined : { closeCode: c.code, closeReason: c.reason });

  // Events: every ID an event carries is the recipient's own.
  for (const u of obs.users) {
    for (const e of u.events) {
      const paths = context.spec.events[e.type];
      if (paths === undefined) continue;
      for (const [domain, path] of Object.entries(paths)) {
        const id = readJsonPath(e.data, path);
        if (typeof id !== 'string') continue;
        const owners = ownersOf.get(id);
        if (owners?.has(u.owner) === true) continue;
        const owner = owners === undefined ? undefined : [...owners][0];
        const event = JSON.stringify(e.data).slice(0, 300);
        if (owner === undefined) add('isolation', 'event-unknown-id', domain, [id], [u.owner], `user ${name(u.owner)} received a ${e.type} event with ${domain} ID ${id} that no user was given: ${event}`, { user: context.users[u.owner], event: e.type, domain, id });
        else add('isolation', 'event-wrong-user', domain, [id], [u.owner, owner], `user ${name(u.owner)} received a ${e.type} event with ${domain} ID ${id} of user ${name(owner)}: ${event}`, { user: context.users[u.owner], event: e.type, domain, id, owner: context.users[owner] });
      }
    }
    // Deliveries: each ID sent comes back to its sender (unless its path was cut short).
    const d = context.spec.delivery;
    const path = d === undefined ? undefined : context.spec.events[d.event]?.[d.domain];
    if (d !== undefined && path !== undefined && u.failure === undefined) {
      const got = new Set(u.events.filter((e) => e.type === d.event).map((e) => readJsonPath(e.data, path)));
      for (const id of u.sent) {
        if (!got.has(id)) add('isolation', 'event-not-delivered', d.domain, [id], [u.owner], `user ${name(u.owner)} sent ${d.domain} ${id} but never received a ${d.event} event for it`, { user: context.users[u.owner], event: d.event, id });
      }
    }
  }

  // Cleanup: windows of one disconnect each.
  const byOwner = new Map(obs.users.map((u) => [u.owner, u]));
  const victims = new Set<number>();
  // A connection the service lost (1006, no close frame) is cleaned up by the service on its own:
  // that user's keys going away in someone else's window is not that window's doing. (The client
  // may see the loss only after the window ends, so the time is not compared; the lost socket is
  // still reported, as `socket-closed`.)
  const lost = (o: number) => {
    const c = byOwner.get(o)?.close;
    return c !== undefined && !c.byClient && c.code === 1006;
  };
  // A user whose path failed before it had a socket (login, socket) never disconnects itself;
  // the service's cleanup of a connection that user gave up on is not another user's doing.
  const gaveUp = (o: number) => {
    const f = byOwner.get(o)?.failure;
    return f !== undefined && (f.step === 'login' || f.step === 'socket');
  };
  for (const w of obs.windows) {
    for (const k of w.removedOthers) {
      if (lost(k.owner) || gaveUp(k.owner)) continue;
      victims.add(k.owner);
      const close = closeOf(byOwner.get(k.owner)?.close);
      const how = close === undefined ? '' : `; the service then closed the socket of ${name(k.owner)} with ${close.closeCode}${close.closeReason === '' ? '' : ` (${close.closeReason})`}`;
      add('isolation', 'cleanup-reaches-other-user', k.domain, [k.id], [w.owner, k.owner], `the disconnect of user ${name(w.owner)} removed key ${JSON.stringify(k.key)} (${k.domain} ${k.id}) of user ${name(k.owner)}${how}`, {
        user: context.users[w.owner],
        event: 'disconnect',
        victim: context.users[k.owner],
        key: k.key,
        id: k.id,
        ...close,
      });
    }
    for (const k of w.leftBehind) add('isolation', 'state-left-behind', k.domain, [k.id], [w.owner], `key ${JSON.stringify(k.key)} (${k.domain} ${k.id}) of user ${name(w.owner)} was still there after its disconnect`, { user: context.users[w.owner], event: 'disconnect', key: k.key, id: k.id });
    // A user whose socket the service closed had its state cleaned up before its own disconnect.
    const closedByService = byOwner.get(w.owner)?.close?.byClient === false;
    if (!victims.has(w.owner) && !closedByService) {
      for (const m of w.missingBefore) add('isolation', 'state-missing-before-disconnect', m.domain, [m.id], [w.owner], `no key for ${m.domain} ${m.id} of user ${name(w.owner)} was left just before its own disconnect`, { user: context.users[w.owner], event: 'disconnect', id: m.id, ...closeOf(byOwner.get(w.owner)?.close) });
    }
  }

  // Steps that did not complete.
  for (const u of obs.users) {
    const f = u.failure;
    if (f === undefined || (f.rule === 'closed' && victims.has(u.owner))) continue;
    const rule = f.rule === 'closed' ? 'socket-closed' : f.rule;
    add('target-failure', rule, undefined, [], [u.owner], `user ${name(u.owner)} at step ${f.step}: ${f.what}`, { user: context.users[u.owner], step: f.step, what: f.what, ...closeOf(f.close) });
  }

  return [...buckets.values()].map((b) => ({
    kind: b.kind,
    ...(b.domain === undefined ? {} : { domain: b.domain }),
    rule: b.rule,
    source: 'service',
    message: `${obs.service}: ${b.count} ${WHAT[b.rule] ?? b.rule}; first: ${b.first}`,
    ids: [...new Set(b.ids)],
    owners: [...b.owners],
    evidence: { count: b.count, examples: b.examples.map((e) => e.detail), cases: b.examples, ...(b.kind === 'target-failure' ? { target: obs.service } : {}) },
    ...(context.replay === undefined ? {} : { replay: context.replay }),
  }));
}

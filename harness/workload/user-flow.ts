import type { DomainName } from '../model/index.js';
import type { GenerateContext, StartedTarget } from '../targets/index.js';
import type { FlowBatches } from './flow-batches.js';
import type { FlowRouter } from './flow-router.js';
import type { RedisUserState } from './redis-user-state.js';
import type { TargetPool } from './target-pool.js';

/** What one user's steps share with every other user's in one execution of the flow. */
export interface FlowWorld {
  readonly pool: TargetPool;
  readonly batches: FlowBatches;
  readonly router: FlowRouter;
  /** Absent: no cleanup exercise in this execution. */
  readonly state: RedisUserState | undefined;
  /** Whether the target's parser is used for routing. */
  readonly parse: boolean;
  readonly requestsPerRun: number;
  readonly toolsPerAgent: number;
  readonly messagesPerUser: number;
  /** Called when a user has finished every step (for mid-flow faults). */
  readonly onUserDone: () => Promise<void>;
}

/** One step of a user's flow, as fast-check's `scheduleSequence` takes it. */
export interface FlowStep {
  readonly label: string;
  readonly builder: () => Promise<void>;
}

/**
 * The golden path of one user, as ordered steps: login (user account, session) → WebSocket
 * connection and its client (a pair) → thread, run and first request (`userContext`) → more
 * requests → agent and tool executions → messages, each routed run → thread → connection with
 * the target's own parser → disconnect (an audit entry) and cleanup with the target's declared
 * patterns. Every ID goes to the batches; the user's state goes to Redis as a server would keep it.
 */
export function userFlow(world: FlowWorld, owner: number, user: string, worker: number, op: string): FlowStep[] {
  const { pool, batches, router, state } = world;
  const s: { conn?: string; thread?: string; run?: string } = {};
  const mint = async (domain: DomainName, context: GenerateContext, count: number, parent?: { domain: DomainName; id: string }): Promise<readonly string[]> => {
    const ids = await pool.call(worker, (t) => t.generate(domain, context, count));
    batches.add(domain, worker, owner, ids, parent);
    await state?.write(owner, domain, ids);
    return ids;
  };
  const readOne = async (domain: DomainName, id: string) => (world.parse ? (await pool.call(worker, (t: StartedTarget) => t.parse(domain, [id])))[0] : undefined);
  const step = (name: string, builder: () => Promise<void>): FlowStep => ({ label: `u${owner}:${name}`, builder });
  const steps: FlowStep[] = [
    step('login', async () => {
      await mint('user', { user }, 1);
      await mint('session', { user }, 1);
    }),
    step('connect', async () => {
      const [conn] = await mint('ws_conn', { user }, 1);
      await mint('ws_client', { user }, 1);
      s.conn = conn!;
      router.connect(owner, conn!, (await readOne('ws_conn', conn!))?.owner);
    }),
    step('thread', async () => {
      const ctx = await pool.call(worker, (t) => t.userContext(user, op));
      batches.add('thread', worker, owner, [ctx.thread]);
      batches.add('run', worker, owner, [ctx.run], { domain: 'thread', id: ctx.thread });
      batches.add('request', worker, owner, [ctx.request], { domain: 'run', id: ctx.run });
      await state?.write(owner, 'thread', [ctx.thread]);
      await state?.write(owner, 'run', [ctx.run]);
      await state?.write(owner, 'request', [ctx.request]);
      s.thread = ctx.thread;
      s.run = ctx.run;
      router.openThread(ctx.thread, s.conn!);
    }),
    step('requests', async () => {
      if (world.requestsPerRun > 1) await mint('request', { user, parents: { run: s.run! } }, world.requestsPerRun - 1, { domain: 'run', id: s.run! });
    }),
    step('agent', async () => {
      await mint('agent_exec', { user }, 1);
      if (world.toolsPerAgent > 0) await mint('tool_exec', { user }, world.toolsPerAgent);
    }),
  ];
  for (let m = 0; m < world.messagesPerUser; m++) {
    steps.push(
      step(`message${m}`, async () => {
        const [message] = await mint('message', { user }, 1);
        if (world.parse) router.route(owner, message!, s.run!, (await readOne('run', s.run!))?.parent);
      }),
    );
  }
  steps.push(
    step('disconnect', async () => {
      await mint('audit', { user }, 1);
      router.disconnect(s.conn!);
      if (state !== undefined && pool.first.capabilities.cleanupPatterns) {
        const patterns = await pool.call(worker, (t) => t.cleanupPatterns(user));
        await state.cleanup(owner, patterns);
      }
      await world.onUserDone();
    }),
  );
  return steps;
}

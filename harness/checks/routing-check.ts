import type { CheckContext } from './check.js';
import { ExampleSink } from './example-sink.js';
import type { FlowCheck, ObservedFlow } from './flow-check.js';

/**
 * `isolation` of routing, judged from the golden flow: every message was routed by an emulated
 * server run → thread → connection using the target's own parser (the thread read out of the
 * run, the owner read out of the connection). Rules:
 * - `routing-wrong-user`: the message reached a user other than its sender;
 * - `routing-not-delivered`: it did not reach its sender's own connection (the parser read a
 *   thread that is not the run's, or none).
 */
export function routingCheck(context: CheckContext): FlowCheck {
  return {
    name: 'routing',
    judge(flow: ObservedFlow) {
      const sink = new ExampleSink('isolation', 'routing', context);
      const user = (i: number) => JSON.stringify(context.users[i]);
      for (const r of flow.routed ?? []) {
        for (const other of r.recipients) {
          if (other !== r.owner) sink.add('message', 'routing-wrong-user', r.message, other, `a message of ${user(r.owner)} on run ${JSON.stringify(r.run)} reached ${user(other)} through connection ${JSON.stringify(r.connection)}`);
        }
        if (!r.recipients.includes(r.owner)) {
          const why = r.thread === undefined ? "the target's parser reads no thread out of the run" : r.connection === undefined ? `the target's parser reads thread ${JSON.stringify(r.thread)}, which no connection opened` : 'the connection does not lead back to the sender';
          sink.add('message', 'routing-not-delivered', r.message, r.owner, `a message of ${user(r.owner)} on run ${JSON.stringify(r.run)} did not reach its sender: ${why}`);
        }
      }
      return sink.findings((domain, rule, count) =>
        rule === 'routing-wrong-user' ? `${domain}: ${count} delivery(ies) routed run → thread → connection to a user other than the sender` : `${domain}: ${count} message(s) routed run → thread → connection that did not reach their sender`,
      );
    },
  };
}

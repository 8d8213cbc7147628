// Worker entry of startCheckThread: runs the checks over the batches it is sent, in order,
// acknowledging each, and posts the findings and tables when asked to finish.
import { parentPort, workerData } from 'node:worker_threads';
import { compileCatalog } from '../spec/index.js';
import { runChecksHere } from './check-runner.js';
import type { CheckThreadData, CheckThreadReply, CheckThreadRequest } from './check-thread.js';
import { unpackObserved } from './observed-wire.js';

const { names, context } = workerData as CheckThreadData;
const replay = context.replay;
const runner = runChecksHere(names, { ...context, catalog: compileCatalog(context.catalog), replay: replay === undefined ? undefined : () => replay });
const reply = (r: CheckThreadReply) => parentPort!.postMessage(r);

parentPort!.on('message', (req: CheckThreadRequest) => {
  void (async () => {
    try {
      if (req.type === 'batch') {
        await runner.observe(unpackObserved(req.observed, context.users));
        reply({ type: 'ack' });
      } else {
        const r = await runner.finish();
        reply({ type: 'result', findings: [...r.findings], tables: r.tables });
      }
    } catch (e) {
      reply({ type: 'error', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
    }
  })();
});

// A TS target that fails on purpose, for the worker-thread adapter's tests; the factory option
// `mode` picks the fault. Modes: throw (generate throws), hang (generate spins forever, a
// synchronous loop), exit (generate exits the thread with code 3), uncaught (generate answers, then
// an uncaught error kills the thread), factory-throws, not-a-target, slow-start (the factory never
// resolves), close-hangs (close never resolves), garbage (generate answers a number).
// Every other call answers like a tiny sound target.
import { randomBytes } from 'node:crypto';
import type { Target, TargetFactoryOptions } from '../../harness/targets/index.js';

export function createTarget(options: TargetFactoryOptions): Target | Promise<Target> {
  const mode = options.options.mode;
  if (mode === 'factory-throws') throw new Error('failing-target: factory refuses on purpose');
  if (mode === 'not-a-target') return {} as Target;
  // The interval keeps the thread alive, as a factory waiting on a socket would.
  if (mode === 'slow-start') return new Promise<Target>(() => setInterval(() => undefined, 1000));
  return {
    name: `failing-${String(mode)}`,
    generate(domain, _context, count) {
      if (mode === 'throw') throw new Error('generator out of order');
      if (mode === 'hang') while (Date.now() > 0) Math.random(); // spins: only terminating the thread ends it
      if (mode === 'exit') process.exit(3);
      if (mode === 'uncaught') setTimeout(() => {
        throw new Error('failing-target: uncaught on purpose');
      }, 0);
      if (mode === 'garbage') return 42 as unknown as string[];
      return Array.from({ length: count }, () => `${domain}_${randomBytes(12).toString('hex')}`);
    },
    userContext: () => ({ thread: 't', run: 'r', request: 'q' }),
    close: () => (mode === 'close-hangs' ? new Promise<void>(() => undefined) : undefined),
  };
}

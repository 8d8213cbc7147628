import { describe, expect, it } from 'vitest';
import { UsageError } from '../model/index.js';
import { replayCommand, resolveTarget, startTarget } from './resolve-target.js';

describe('resolveTarget: worker threads and subprocesses', () => {
  it('worker:<module target> loads the same module as the in-process target, in threads', () => {
    for (const inner of ['reference', 'mutant:counter-per-process']) {
      const plain = resolveTarget(inner);
      const threaded = resolveTarget(`worker:${inner}`);
      expect(threaded).toEqual({ kind: 'worker', module: plain.kind === 'module' ? plain.module : 'not a module', label: `worker:${inner}` });
    }
    expect(replayCommand(resolveTarget('worker:mutant:counter-per-process'), 'ci', 7)).toBe('npx idgate gate --target worker:mutant:counter-per-process --profile ci --seed 7');
  });

  it('subprocess:mutant:<name> serves the mutant from fixtures/mutants/serve with the name as its argument', () => {
    const spec = resolveTarget('subprocess:mutant:counter-per-process');
    expect(spec.kind).toBe('command');
    if (spec.kind !== 'command') return;
    expect(spec.command).toBe(process.execPath);
    expect(spec.args.at(-2)).toMatch(/fixtures[/\\]mutants[/\\]serve\.(ts|js)$/);
    expect(spec.args.at(-1)).toBe('counter-per-process');
  });

  it('rejects what cannot run that way, naming the input and the fix', () => {
    const cases: [string, RegExp, RegExp][] = [
      ['worker:python-legacy', /worker threads load a module target, and "python-legacy" is a command/, /worker:reference/],
      ['worker:', /is empty/, /worker:mutant:<name>/],
      ['worker:worker:reference', /is another worker: target/, /worker:reference/],
      ['worker:mutant:no-such-mutant', /no mutant named "no-such-mutant"/, /fixtures\/mutants/],
      ['subprocess:reference', /subprocess: takes a mutant/, /reference-subprocess/],
      ['subprocess:mutant:no-such-mutant', /no mutant named "no-such-mutant"/, /fixtures\/mutants/],
    ];
    for (const [text, message, remedy] of cases) {
      let error: unknown;
      try {
        resolveTarget(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(UsageError);
      expect((error as UsageError).message, text).toMatch(message);
      expect(`${(error as UsageError).message} ${(error as UsageError).remedy}`, text).toMatch(remedy);
    }
  });

  it('startTarget runs a worker: target in a thread of its own, handing the factory its options', async () => {
    const bad = await startTarget(resolveTarget('worker:reference'), 1, undefined, { clock: 'sideways' });
    // The reference refuses an unknown clock fault in its factory: the options reached the thread.
    expect(!bad.ok && bad.finding.message).toMatch(/^target "worker:reference" worker thread 1 threw while starting: Error: createTarget: option clock "sideways" is unknown/);
    const good = await startTarget(resolveTarget('worker:reference'), 1, undefined, { clock: 'frozen' });
    if (!good.ok) throw new Error(good.finding.message);
    try {
      const ids = await good.value.generate('audit', {}, 3);
      expect(ids.ok && new Set(ids.value.map((id) => id.split('_')[1])).size).toBe(1); // frozen: one timestamp
    } finally {
      await good.value.stop();
    }
  });
});

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/index.js';

const run = async (argv: string[]) => {
  const lines: string[] = [];
  const code = await main(argv, (l) => lines.push(l));
  return { code, text: lines.join('\n') };
};

describe('idgate command line', () => {
  it('smoke: starts both stores, writes IDs to the memory ledger, pings, exits 0', async () => {
    const { code, text } = await run(['smoke', '--ids', '200_000', '--stores', 'local']);
    expect(text).toMatch(/redis\s+local redis:\/\/127\.0\.0\.1:\d+/);
    expect(text).toMatch(/ping\s+redis PONG, clickhouse Ok/);
    expect(text).toMatch(/memory\s+200000 appended, 200000 distinct, at [\d.]+M IDs\/s/);
    expect(code).toBe(0);
  });

  it('usage errors exit 2 and say what to do', async () => {
    const unknown = await run(['smoke', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.text).toMatch(/unknown flag --bogus[\s\S]*idgate smoke --help/);
    const badNumber = await run(['smoke', '--ids', 'many']);
    expect(badNumber.code).toBe(2);
    expect(badNumber.text).toMatch(/--ids must be a number/);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run([])).code).toBe(2);
  });

  it('help lists commands and each flag with its default', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.text).toMatch(/smoke\s+start Redis and ClickHouse/);
    const smoke = await run(['smoke', '--help']);
    expect(smoke.text).toMatch(/--ids <number>\s+how many IDs .*\(default: 1000000\)/);
  });

  it('the built bin runs on plain Node', async () => {
    const bin = 'dist/harness/cli/main.js';
    expect(existsSync(bin), 'run npm run build first (npm test does)').toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, [bin, '--help']);
    expect(stdout).toMatch(/^idgate — /);
  });
});

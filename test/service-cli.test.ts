import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/index.js';

// Reports go to a temporary folder, not the working tree's reports/.
const work = mkdtempSync(join(tmpdir(), 'idgate-service-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// `idgate golden --service`: the bundled fixture service started by the command on a free
// loopback port with its own Redis, stopped afterwards; exit codes as for any run.
async function run(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(args, (l) => lines.push(l));
  return { code, text: lines.join('\n') };
}

describe('idgate golden --service', () => {
  it('passes against the correct fixture service and prints users/s and path percentiles', async () => {
    const { code, text } = await run(['golden', '--service', 'fixture', '--users', '120', '--seed', '11', '--stores', 'local', '--out', join(work, 'correct')]);
    expect(text).toMatch(/PASS in .* 0 finding\(s\)/);
    expect(text).toMatch(/120\/120 users through the path, \d+ users\/s; path p50 \d+ ms, p95 \d+ ms, p99 \d+ ms/);
    expect(code).toBe(0);
  });

  it('fails against the defective fixture service with isolation findings and the 1011 close', async () => {
    const { code, text } = await run(['golden', '--service', 'fixture:defective', '--users', '120', '--seed', '11', '--stores', 'local', '--out', join(work, 'defective')]);
    expect(code).toBe(1);
    expect(text).toContain('[isolation/event-wrong-user]');
    expect(text).toMatch(/\[isolation\/cleanup-reaches-other-user\][^\n]*closed the socket of "[^"]+" with 1011/);
    expect(text).toContain('replay: npx idgate golden --service fixture:defective --users 120 --seed 11');
  });

  it('rejects a --service that is neither fixture, URL nor file with exit 2 and the fix', async () => {
    const { code, text } = await run(['golden', '--service', 'no-such-service.ts']);
    expect(code).toBe(2);
    expect(text).toMatch(/^idgate golden: --service "no-such-service.ts" is neither .*\n {2}→ write --service http/);
  });
});

import { createClient } from '@clickhouse/client';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { main } from '../harness/cli/index.js';

const run = async (argv: string[]) => {
  const lines: string[] = [];
  const code = await main(argv, (l) => lines.push(l));
  return { code, text: lines.join('\n') };
};

describe('idgate clean', () => {
  it("lists without --yes, then removes only idgate's own run namespaces", async () => {
    // Arrange: a crashed run's keys and database, beside things that are not idgate's.
    const { redisUrl, clickhouseUrl } = inject('stores');
    const redis = new Redis(redisUrl);
    const ch = createClient({ url: clickhouseUrl });
    const runId = 'rcleantest0001';
    try {
      await redis.set(`idgate:${runId}:n`, '1', 'EX', 600);
      await redis.hset(`idgate:${runId}:{7}h`, 'x', '1');
      await redis.set('app:session:1', 'keep');
      await redis.set('idgate:Not-A-Run!:x', 'keep');
      await ch.command({ query: `CREATE DATABASE IF NOT EXISTS idgate_${runId}` });
      await ch.command({ query: 'CREATE DATABASE IF NOT EXISTS app_keep' });
      const args = ['clean', '--redis-url', redisUrl, '--clickhouse-url', clickhouseUrl, '--min-idle', '0', '--containers=false'];

      // Act + assert: a dry run deletes nothing and says what it would remove.
      const dry = await run(args);
      expect(dry.code).toBe(0);
      expect(dry.text).toMatch(new RegExp(`2 key\\(s\\) idgate:${runId}:\\*.*would be removed`));
      expect(dry.text).toMatch(new RegExp(`database idgate_${runId}.*would be removed`));
      expect(dry.text).toMatch(/nothing was deleted; run idgate clean --yes/);
      expect(await redis.exists(`idgate:${runId}:n`)).toBe(1);

      // Recently written namespaces are kept (a run may be going).
      const young = await run(['clean', '--redis-url', redisUrl, '--containers=false', '--yes']);
      expect(young.text).toMatch(/kept \(recently written/);
      expect(await redis.exists(`idgate:${runId}:n`)).toBe(1);

      const wet = await run([...args, '--yes']);
      expect(wet.code).toBe(0);
      expect(wet.text).toMatch(new RegExp(`idgate:${runId}:\\*.*removed`));
      expect(await redis.exists(`idgate:${runId}:n`, `idgate:${runId}:{7}h`)).toBe(0);
      expect(await redis.get('app:session:1')).toBe('keep');
      expect(await redis.get('idgate:Not-A-Run!:x')).toBe('keep');
      const dbs = await (await ch.query({ query: 'SELECT name FROM system.databases', format: 'JSONEachRow' })).json<{ name: string }>();
      expect(dbs.map((d) => d.name)).not.toContain(`idgate_${runId}`);
      expect(dbs.map((d) => d.name)).toContain('app_keep');
    } finally {
      await redis.del('app:session:1', 'idgate:Not-A-Run!:x', `idgate:${runId}:n`, `idgate:${runId}:{7}h`);
      await ch.command({ query: 'DROP DATABASE IF EXISTS app_keep' });
      await ch.command({ query: `DROP DATABASE IF EXISTS idgate_${runId}` });
      redis.disconnect();
      await ch.close();
    }
  });
});

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../test/helpers/process-state.js';
import { dockerEngineConfigured, LocalServer, pingRedis, redactUrl, redisRecipe, startStores } from './index.js';

describe('startStores: choosing providers', () => {
  it('uses the URLs from the environment without starting anything', async () => {
    const stores = await startStores({ env: { IDGATE_REDIS_URL: 'redis://u:secret@10.0.0.1:6379', IDGATE_CLICKHOUSE_URL: 'http://127.0.0.1:8123' } });
    const redis = stores.endpoint('redis');
    expect(redis.provider).toBe('url');
    expect(redis.pid).toBeUndefined();
    expect(redis.displayUrl).not.toContain('secret');
    expect(stores.endpoint('clickhouse').url).toBe('http://127.0.0.1:8123');
    await stores.stop();
  });

  it.each([
    [{ IDGATE_STORES: 'docker' }, /IDGATE_STORES.*not known[\s\S]*auto, url, container, local/],
    [{ IDGATE_STORES: 'url' }, /IDGATE_REDIS_URL is not set[\s\S]*IDGATE_STORES=local/],
    [{ IDGATE_REDIS_URL: 'http://x:1' }, /IDGATE_REDIS_URL has scheme http:[\s\S]*redis:\/\/host:port/],
    [{ IDGATE_CLICKHOUSE_URL: 'not a url' }, /IDGATE_CLICKHOUSE_URL is not a URL/],
  ])('rejects bad configuration %j before starting anything', async (env, message) => {
    await expect(startStores({ env })).rejects.toThrow(message);
  });

  it('names the Debian package when a server binary is missing and may not be installed', async () => {
    const missing = new LocalServer({ ...redisRecipe, binary: 'idgate-no-such-server', debianPackage: 'idgate-no-such-package' });
    await expect(missing.start({ install: false })).rejects.toThrow(/idgate-no-such-server is not installed[\s\S]*apt-get install -y idgate-no-such-package/);
  });

  it('never shows credentials', () => {
    expect(redactUrl('redis://admin:hunter2@host:1/0')).toBe('redis://***:***@host:1/0');
    expect(redactUrl('http://host:8123/')).toBe('http://host:8123/');
  });
});

describe('local servers', () => {
  it('start on loopback, answer, and leave no process or directory after stop()', async () => {
    const stores = await startStores({ provider: 'local', stores: ['redis'] });
    const ep = stores.endpoint('redis');
    const url = new URL(ep.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(await pingRedis(Number(url.port))).toBe(true);
    const server = await new LocalServer(redisRecipe).start();
    const dir = server.dir;
    expect(existsSync(dir)).toBe(true);
    await server.stop();
    await stores.stop();
    expect(isAlive(ep.pid!)).toBe(false);
    expect(isAlive(server.pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(await pingRedis(Number(url.port))).toBe(false);
  });

  it('report the port and the log tail when a server cannot start', async () => {
    const broken = new LocalServer({ ...redisRecipe, name: 'redis', prepare: async (dir, ports) => [...(await redisRecipe.prepare(dir, ports)), '--no-such-option', 'x'] });
    await expect(broken.start({ readyTimeoutMs: 5000 })).rejects.toThrow(/redis .*127\.0\.0\.1:\d+ exited[\s\S]*no-such-option/i);
  });
});

describe('dockerEngineConfigured: when auto chooses containers', () => {
  it('is true for a DOCKER_HOST the user set, false for the podman service idgate started', () => {
    expect(dockerEngineConfigured({ DOCKER_HOST: 'unix:///var/run/other.sock' })).toBe(true);
    expect(dockerEngineConfigured({ DOCKER_HOST: 'unix:///tmp/idgate-podman-1/podman.sock', IDGATE_PODMAN_DOCKER_HOST: 'unix:///tmp/idgate-podman-1/podman.sock' })).toBe(false);
    expect(dockerEngineConfigured({})).toBe(existsSync('/var/run/docker.sock'));
  });
});

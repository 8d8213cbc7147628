import { connect } from 'node:net';
import type { LocalServerRecipe } from './local-server.js';

/** Answers true when a Redis server at 127.0.0.1:`port` replies +PONG to PING. */
export function pingRedis(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      reply += d.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/**
 * Debian's redis-server on one loopback port: no persistence (`--save ""`, no AOF), data and
 * log in the run's temporary directory, protected mode on.
 */
export const redisRecipe: LocalServerRecipe = {
  name: 'redis',
  binary: 'redis-server',
  debianPackage: 'redis-server',
  ports: 1,
  logFiles: ['redis.log'],
  async prepare(dir, ports) {
    return [
      '--port', String(ports[0]),
      '--bind', '127.0.0.1',
      '--protected-mode', 'yes',
      '--save', '',
      '--appendonly', 'no',
      '--dir', dir,
      '--logfile', `${dir}/redis.log`,
      '--daemonize', 'no',
      '--databases', '1',
    ];
  },
  probe: (ports) => pingRedis(ports[0]!),
  url: (ports) => `redis://127.0.0.1:${ports[0]}`,
};

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { UsageError } from '../model/index.js';

/** The environment variable naming a PEM file of CA certificates for `rediss://` URLs. */
export const REDIS_CA_ENV = 'IDGATE_REDIS_CA';

/**
 * The TLS options for a Redis URL, or `undefined` for `redis://` (plain TCP). For `rediss://` the
 * server's certificate is always verified, against: `ca` when given, else the PEM file the URL's
 * `?ca=<path>` names, else the file `IDGATE_REDIS_CA` names, else Node's bundled CAs. The server
 * name checked is the URL's host name (IP addresses are checked against the certificate's IP SANs).
 * Throws {@link UsageError} for a `?ca=` on a `redis://` URL or a CA file that cannot be read.
 */
export function respTlsOptions(url: URL, ca?: string | Buffer, env: NodeJS.ProcessEnv = process.env): ConnectionOptions | undefined {
  const fromUrl = url.searchParams.get('ca');
  if (url.protocol !== 'rediss:') {
    if (fromUrl !== null) throw new UsageError('IDGATE_REDIS_TLS_CA', `Redis URL ${url.protocol}//${url.host}: ?ca= is given but the scheme is ${url.protocol}, which is plain TCP`, 'use rediss://host:port?ca=<path> for TLS, or leave ?ca= out');
    return undefined;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let pem: string | Buffer | undefined = ca;
  if (pem === undefined) {
    const path = fromUrl ?? (env[REDIS_CA_ENV] !== undefined && env[REDIS_CA_ENV] !== '' ? env[REDIS_CA_ENV] : undefined);
    if (path !== undefined) {
      const from = fromUrl !== null ? '?ca= in the Redis URL' : REDIS_CA_ENV;
      try {
        pem = readFileSync(path);
      } catch (e) {
        throw new UsageError('IDGATE_REDIS_TLS_CA', `Redis URL rediss://${url.host}: cannot read the CA file ${JSON.stringify(path)} named by ${from} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, `point ${from} at a readable PEM file of the CA that signed the server's certificate`);
      }
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
        throw new UsageError('IDGATE_REDIS_TLS_CA', `Redis URL rediss://${url.host}: the CA file ${JSON.stringify(path)} named by ${from} holds no PEM certificate`, `point ${from} at a PEM file (-----BEGIN CERTIFICATE-----) of the CA that signed the server's certificate`);
      }
    }
  }
  return { host, ...(isIP(host) === 0 ? { servername: host } : {}), ...(pem === undefined ? {} : { ca: pem }), rejectUnauthorized: true };
}

/** The remedy for a TLS handshake that failed with `code` (Node's `err.code`). */
export function tlsRemedy(code: string | undefined): string {
  if (code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO|ALTNAME|HOSTNAME/i.test(code)) {
    return `the server's certificate is not trusted (${code}): give the PEM file of the CA that signed it with ?ca=<path> in the rediss:// URL or ${REDIS_CA_ENV}=<path>, and use the host name or IP the certificate names`;
  }
  return 'check that the port speaks TLS (redis-server --tls-port) and that the URL is right; use redis:// for a plain port';
}

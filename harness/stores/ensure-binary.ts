import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { UsageError } from '../model/index.js';

/** A program idgate needs and the Debian package that ships it. */
export interface RequiredBinary {
  /** File name, e.g. `redis-server`. */
  readonly binary: string;
  /** Debian package, e.g. `redis-server`. */
  readonly debianPackage: string;
  /** More packages installed with it, e.g. `runc` with `podman`. Default: none. */
  readonly withPackages?: readonly string[];
  /** Install the packages' Recommends too (podman needs its network stack from them). Default: false. */
  readonly installRecommends?: boolean;
}

/** Options of {@link ensureBinary}. */
export interface EnsureBinaryOptions {
  /** Install with apt-get when missing and running as root. Default: true. */
  readonly install?: boolean;
  /** Where progress lines go. Default: stderr. */
  readonly log?: (line: string) => void;
}

// Daemons live in /usr/sbin, which a non-root PATH often lacks.
const EXTRA_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin'];

/** The absolute path of `binary`, or undefined when it is nowhere on PATH or the usual dirs. */
export async function findBinary(binary: string): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, binary);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

// apt-get takes a machine-wide lock: installs run one at a time.
let aptQueue: Promise<unknown> = Promise.resolve();

/**
 * Returns the path of a required binary, installing its Debian package with apt-get when it is
 * missing and the process runs as root (and says so). Otherwise throws a {@link UsageError}
 * naming the package to install.
 */
export async function ensureBinary(req: RequiredBinary, options: EnsureBinaryOptions = {}): Promise<string> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const found = await findBinary(req.binary);
  if (found !== undefined) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = await findBinary('apt-get');
  if (options.install === false || !isRoot || apt === undefined) {
    throw new UsageError(
      'IDGATE_BINARY_MISSING',
      `stores: ${req.binary} is not installed${isRoot ? '' : ' and idgate is not running as root, so it cannot install it'}`,
      `install Debian's package: sudo apt-get install -y ${[req.debianPackage, ...(req.withPackages ?? [])].join(' ')} (or point idgate at a running server with IDGATE_REDIS_URL / IDGATE_CLICKHOUSE_URL)`,
    );
  }
  const packages = [req.debianPackage, ...(req.withPackages ?? [])];
  const installArgs = ['install', '-y', ...(req.installRecommends === true ? [] : ['--no-install-recommends']), ...packages];
  const run = aptQueue.then(async () => {
    if ((await findBinary(req.binary)) !== undefined) return;
    log(`idgate: ${req.binary} is missing; installing Debian's ${packages.join(', ')} with apt-get (running as root)`);
    const first = await runApt(apt, installArgs);
    if (first.code !== 0) {
      log(`idgate: apt-get install failed; refreshing package lists with apt-get update and trying again`);
      await runApt(apt, ['update']);
      const second = await runApt(apt, installArgs);
      if (second.code !== 0) {
        throw new UsageError(
          'IDGATE_INSTALL_FAILED',
          `stores: apt-get install ${packages.join(' ')} failed (exit ${second.code}):\n${second.tail}`,
          `install it by hand (apt-get install -y ${packages.join(' ')}) and run again`,
        );
      }
    }
  });
  aptQueue = run.catch(() => undefined);
  await run;
  const path = await findBinary(req.binary);
  if (path === undefined) {
    throw new UsageError('IDGATE_INSTALL_FAILED', `stores: ${req.debianPackage} was installed but ${req.binary} is still not found`, `check the package contents with dpkg -L ${req.debianPackage}`);
  }
  log(`idgate: installed ${req.debianPackage} (${path})`);
  return path;
}

async function runApt(apt: string, args: string[]): Promise<{ code: number; tail: string }> {
  return new Promise((resolve) => {
    const child = spawn(apt, ['-q', ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const keep = (d: Buffer) => {
      out = (out + d.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) => resolve({ code: 127, tail: String(e) }));
    child.on('close', (code) => resolve({ code: code ?? 1, tail: out.split('\n').slice(-12).join('\n') }));
  });
}

import { spawn, type ChildProcess } from 'node:child_process';

/*
 * A watchdog process that outlives the harness only to stop the servers the harness started
 * (and to run the cleanup commands it was given, e.g. removing containers, before that).
 * The harness holds the write end of the reaper's stdin; the kernel closes it however the
 * harness dies (SIGKILL included), and the reaper then stops every process group it was told
 * about (SIGTERM, up to 5 s of grace, then SIGKILL) and removes their data directories. Node offers no parent-death signal, so a
 * pipe's EOF is the portable way to notice.
 *
 * The script is inline so that it runs the same from sources, from dist/ and from a packed
 * install, with no file to locate.
 */
const REAPER_SCRIPT = `
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const pids = new Map();
const commands = new Map();
let buf = '';
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\\n')) >= 0) {
    const line = buf.slice(0, i); buf = buf.slice(i + 1);
    const sp = line.indexOf(' ');
    if (line[0] === '!') { try { commands.set(line.slice(1, sp), JSON.parse(line.slice(sp + 1))); } catch {} continue; }
    if (line[0] === '~') { commands.delete(line.slice(1)); continue; }
    const pid = Number(line.slice(1, sp < 0 ? undefined : sp));
    if (!Number.isInteger(pid) || pid <= 1) continue;
    if (line[0] === '+') pids.set(pid, sp < 0 ? '' : line.slice(sp + 1)); else if (line[0] === '-') pids.delete(pid);
  }
});
const alive = (pid) => {
  try {
    const st = fs.readFileSync('/proc/' + pid + '/stat', 'utf8');
    const state = st.slice(st.lastIndexOf(')') + 2, st.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch { try { process.kill(pid, 0); return !fs.existsSync('/proc'); } catch { return false; } }
};
const finish = () => {
  for (const dir of pids.values()) if (dir.startsWith('/') && dir.includes('idgate-')) { try { fs.rmSync(dir, { recursive: true, force: true }); } catch {} }
  process.exit(0);
};
const signal = (pid, sig) => { try { process.kill(-pid, sig); } catch { try { process.kill(pid, sig); } catch {} } };
let reaping = false;
function reap() {
  if (reaping) return; reaping = true;
  for (const c of commands.values()) { try { spawnSync(c.argv[0], c.argv.slice(1), { env: { ...process.env, ...c.env }, stdio: 'ignore', timeout: 20000 }); } catch {} }
  for (const pid of pids.keys()) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  const tick = () => {
    const left = [...pids.keys()].filter(alive);
    if (left.length === 0) return finish();
    if (Date.now() > deadline) { for (const pid of left) signal(pid, 'SIGKILL'); setTimeout(finish, 200); return; }
    setTimeout(tick, 50);
  };
  tick();
}
process.stdin.on('end', reap);
process.stdin.on('close', reap);
process.stdin.on('error', reap);
`;

let reaper: ChildProcess | undefined;

function ensureReaper(): ChildProcess {
  if (reaper !== undefined && reaper.exitCode === null && reaper.stdin?.writable === true) return reaper;
  const child = spawn(process.execPath, ['-e', REAPER_SCRIPT], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.unref();
  // The pipe must not keep the harness's event loop alive.
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  child.stdin?.on('error', () => undefined);
  reaper = child;
  return child;
}

/**
 * Tells the reaper to stop `pid`'s process group, and remove `dir` (an idgate temporary
 * directory), if the harness dies without doing so itself.
 */
export function watchProcess(pid: number, dir = ''): void {
  ensureReaper().stdin?.write(`+${pid} ${dir.replace(/\n/g, '')}\n`);
}

/** Tells the reaper that `pid` was stopped by the harness itself. */
export function unwatchProcess(pid: number): void {
  if (reaper?.stdin?.writable === true) reaper.stdin.write(`-${pid}\n`);
}

/**
 * Tells the reaper to run `argv` (with `env` added) if the harness dies without calling
 * {@link unwatchCommand} — before it stops the watched processes. `id` names it for unwatching.
 */
export function watchCommand(id: string, argv: readonly string[], env: Readonly<Record<string, string>> = {}): void {
  ensureReaper().stdin?.write(`!${id.replace(/\s/g, '')} ${JSON.stringify({ argv, env })}\n`);
}

/** Tells the reaper that the command `id` is no longer needed. */
export function unwatchCommand(id: string): void {
  if (reaper?.stdin?.writable === true) reaper.stdin.write(`~${id.replace(/\s/g, '')}\n`);
}

/** The reaper's pid, for tests that prove it works. */
export function reaperPid(): number | undefined {
  return reaper?.pid;
}

import { spawn, type ChildProcess } from 'node:child_process';

/*
 * A watchdog process that outlives the harness only to stop the servers the harness started.
 * The harness holds the write end of the reaper's stdin; the kernel closes it however the
 * harness dies (SIGKILL included), and the reaper then stops every process group it was told
 * about: SIGTERM, up to 5 s of grace, then SIGKILL. Node offers no parent-death signal, so a
 * pipe's EOF is the portable way to notice.
 *
 * The script is inline so that it runs the same from sources, from dist/ and from a packed
 * install, with no file to locate.
 */
const REAPER_SCRIPT = `
const pids = new Set();
let buf = '';
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\\n')) >= 0) {
    const line = buf.slice(0, i); buf = buf.slice(i + 1);
    const pid = Number(line.slice(1));
    if (!Number.isInteger(pid) || pid <= 1) continue;
    if (line[0] === '+') pids.add(pid); else if (line[0] === '-') pids.delete(pid);
  }
});
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const signal = (pid, sig) => { try { process.kill(-pid, sig); } catch { try { process.kill(pid, sig); } catch {} } };
let reaping = false;
function reap() {
  if (reaping) return; reaping = true;
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  const tick = () => {
    const left = [...pids].filter(alive);
    if (left.length === 0) process.exit(0);
    if (Date.now() > deadline) { for (const pid of left) signal(pid, 'SIGKILL'); process.exit(0); }
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

/** Tells the reaper to stop `pid`'s process group if the harness dies without stopping it. */
export function watchProcess(pid: number): void {
  ensureReaper().stdin?.write(`+${pid}\n`);
}

/** Tells the reaper that `pid` was stopped by the harness itself. */
export function unwatchProcess(pid: number): void {
  if (reaper?.stdin?.writable === true) reaper.stdin.write(`-${pid}\n`);
}

/** The reaper's pid, for tests that prove it works. */
export function reaperPid(): number | undefined {
  return reaper?.pid;
}

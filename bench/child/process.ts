/**
 * Servers run as production runs them: `node <built file>` in a process of its own, its CPU time and
 * RSS read from /proc (so nothing in the measured process answers the bench, and no loader such as
 * tsx adds its own memory). Used by the start-up and load parts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** /proc's clock ticks per second (USER_HZ): 100 on every Linux build Node runs on. */
const TICKS_PER_SEC = 100;

/**
 * RSS (bytes) and CPU time so far (user + system, ms) of `pid` and every process below it; NaN where
 * /proc is missing. CPU time is the figure a busy machine disturbs least: wall time waits for other processes.
 */
export function treeUsage(pid: number): { rss: number; cpuMs: number } {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return { rss: NaN, cpuMs: NaN };
  }
  const stats = new Map<number, { parent: number; ticks: number }>();
  for (const e of entries) {
    try {
      // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
      stats.set(Number(e), { parent: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) }); // fields 4, 14, 15
    } catch {
      // gone meanwhile
    }
  }
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [p, { parent }] of stats) {
      if (tree.has(p) || !tree.has(parent)) continue;
      tree.add(p);
      grew = true;
    }
  }
  let kib = 0;
  let ticks = 0;
  for (const p of tree) {
    ticks += stats.get(p)?.ticks ?? 0;
    try {
      kib += Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { rss: kib * 1024, cpuMs: (ticks / TICKS_PER_SEC) * 1000 };
}

export interface ServerProcess {
  /** The GraphQL endpoint the server printed. */
  url: string;
  pid: number;
  usage(): { rss: number; cpuMs: number };
  stop(): Promise<void>;
}

/**
 * Spawns `node ...args` and resolves once it prints `GraphQL endpoint: <url>` (the facade's main.js and
 * the ceiling server both do). Its output is kept only to explain a failed start.
 */
export async function spawnServer(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: no endpoint within 60 s: ${output.slice(-500)}`)), 60_000);
    const onData = (chunk: string): void => {
      output += chunk;
      const match = /GraphQL endpoint:\s*(\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        // From now on the output is drained unread (a per-request log line must not fill a pipe).
        output = '';
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(match[1]!);
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-5000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}: ${output.slice(-500)}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    usage: () => treeUsage(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * `npm start`'s command as node arguments (its V8 flags, then the entry), read from package.json so the
 * bench starts the facade exactly as production does. Throws when the script no longer has the shape
 * `NODE_ENV=production node [--flag[=value] ...] <entry>.js`, rather than measuring something else.
 */
export function npmStartArgs(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const start = pkg.scripts?.start ?? '';
  const match = /^NODE_ENV=production node((?: --[\w-]+(?:=[\w.-]+)?)*) (\S+\.js)$/.exec(start);
  if (!match) throw new Error(`package.json's start script is not \`NODE_ENV=production node [flags] <entry>.js\`: ${start}`);
  return [...match[1]!.trim().split(' ').filter(Boolean), match[2]!];
}

/**
 * Child processes for the parts where the facade's own CPU and memory are measured: the facade and
 * the simulator each run alone in a process, so process.cpuUsage() and RSS are the facade's only.
 * Requests and answers go over Node's IPC channel, matched by id.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface Request {
  id: number;
  type: string;
  [key: string]: unknown;
}

export interface Stats {
  rss: number;
  heapUsed: number;
  /** process.cpuUsage() of the child, microseconds. */
  cpu: { user: number; system: number };
}

export class Child {
  #next = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    readonly process: ChildProcess,
    readonly url: string,
  ) {
    process.on('message', (msg: { id?: number; error?: string; result?: unknown }) => {
      const p = msg.id === undefined ? undefined : this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id!);
      if (msg.error) p.reject(new Error(msg.error));
      else p.resolve(msg.result);
    });
  }

  /** A facade in its own process, holding `token`, in front of the simulator at `simUrl`. */
  static startFacade(simUrl: string, token: string, maxInFlight: number): Promise<Child> {
    return Child.start('facade-process.ts', {
      baseUrl: simUrl,
      apiToken: token,
      host: '127.0.0.1',
      port: 0,
      timeoutMs: 10_000,
      maxInFlight,
      rateLimitPerMinute: undefined,
    });
  }

  /** Forks `script` (TypeScript, through tsx) with `options` in BENCH_OPTIONS; resolves once it reports its URL. */
  static async start(script: 'sim-process.ts' | 'facade-process.ts' | 'replay-process.ts', options: unknown): Promise<Child> {
    const child = fork(join(here, script), [], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, BENCH_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} did not start within 120 s`)), 120_000);
      child.once('message', (msg: { ready?: string }) => {
        clearTimeout(timer);
        if (msg.ready) resolve(msg.ready);
        else reject(new Error(`${script} sent ${JSON.stringify(msg)} before starting`));
      });
      child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before starting`)));
    });
    return new Child(child, url);
  }

  call<T>(type: string, payload: Record<string, unknown> = {}): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.process.send({ id, type, ...payload });
    });
  }

  stats(gc = false): Promise<Stats> {
    return this.call<Stats>('stats', { gc });
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.send({ id: 0, type: 'stop' });
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Child side: answers requests with `handle` (its answer, or a promise of it), plus the common `stats` and `stop`. */
export function serve(handle: (req: Request) => unknown, stop: () => Promise<void>): void {
  process.on('message', (req: Request) => {
    void (async () => {
      try {
        if (req.type === 'stop') {
          await stop();
          process.exit(0);
        }
        let result: unknown;
        if (req.type === 'stats') {
          if (req.gc && typeof globalThis.gc === 'function') {
            globalThis.gc();
            globalThis.gc();
          }
          const m = process.memoryUsage();
          result = { rss: m.rss, heapUsed: m.heapUsed, cpu: process.cpuUsage() } satisfies Stats;
        } else {
          result = await handle(req);
        }
        process.send?.({ id: req.id, result });
      } catch (error) {
        process.send?.({ id: req.id, error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  // The parent went away: don't linger.
  process.on('disconnect', () => void stop().then(() => process.exit(0)));
}

/** The simulator alone in a process (load, CPU and memory parts). Options: SimulatorOptions as JSON. */
import { startSimulator, type Knobs, type SimulatorOptions } from '../../simulator/index.js';
import { serve } from './ipc.js';

const options = JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as SimulatorOptions;
// The parent reads the log only through `statuses`, which clears it.
const sim = await startSimulator({ logLimit: 200_000, ...options });
serve(
  (req) => {
    if (req.type === 'knobs') return void sim.setKnobs(req.knobs as Partial<Knobs>);
    if (req.type === 'counts') return sim.store.counts();
    if (req.type === 'statuses') {
      const out: Record<string, number> = {};
      for (const e of sim.log) out[e.status] = (out[e.status] ?? 0) + 1;
      sim.clearLog();
      return out;
    }
    if (req.type === 'tally') {
      // Like `statuses`, but a call still waiting for its answer stays in the log for the next tally
      // (for 30 s at most), while a faulted one counts at once: a slow answer its caller gave up on never finishes.
      const out = { calls: 0, byStatus: {} as Record<string, number>, byFault: {} as Record<string, number> };
      const pending: typeof sim.log = [];
      const now = Date.now();
      for (const e of sim.log) {
        if (e.status === 0 && !e.fault && now - e.timestamp < 30_000) {
          pending.push(e);
          continue;
        }
        out.calls++;
        out.byStatus[e.status] = (out.byStatus[e.status] ?? 0) + 1;
        if (e.fault) out.byFault[e.fault] = (out.byFault[e.fault] ?? 0) + 1;
      }
      sim.clearLog();
      sim.log.push(...pending);
      return out;
    }
    throw new Error(`unknown request ${req.type}`);
  },
  () => sim.close(),
);
process.send?.({ ready: sim.url });

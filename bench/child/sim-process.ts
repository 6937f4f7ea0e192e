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
    throw new Error(`unknown request ${req.type}`);
  },
  () => sim.close(),
);
process.send?.({ ready: sim.url });

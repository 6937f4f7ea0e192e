/** The facade alone in a process, so its CPU time and RSS can be read on their own. */
import type { AppConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { serve } from './ipc.js';

const config = JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as AppConfig & { baseUrl: string };
const server = await startServer(config);
serve(() => {
  throw new Error('facade child answers only stats and stop');
}, () => server.close());
process.send?.({ ready: server.graphqlUrl });

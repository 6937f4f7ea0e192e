/** The facade alone in a process, so its CPU time and RSS can be read on their own. */
import { loadConfig, type AppConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { serve } from './ipc.js';

// The defaults under whatever the parent sets: the config gains sections the parent may not list.
const config = { ...loadConfig({ FACADE_AUTH: 'none' }), ...(JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as Partial<AppConfig>) } as AppConfig & { baseUrl: string };
const server = await startServer(config);
serve(() => {
  throw new Error('facade child answers only stats and stop');
}, () => server.close());
process.send?.({ ready: server.graphqlUrl });

/**
 * `npm start`: serves the facade. Without AMPECO_BASE_URL it first starts the built-in AMPECO
 * simulator on a free local port and points the facade at it.
 */
import { ConfigError, loadConfig, type AppConfig } from './config.js';
import { startServer } from './server.js';

const SIMULATOR_TOKEN = 'sim-token';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  let closeSimulator: (() => Promise<void>) | undefined;
  let baseUrl = config.baseUrl;
  let apiToken = config.apiToken;
  if (!baseUrl) {
    const { startSimulator } = await import('../simulator/index.js');
    const simulator = await startSimulator({ port: 0, host: '127.0.0.1' });
    closeSimulator = () => simulator.close();
    baseUrl = simulator.url;
    // The facade holds the simulator's token, so GraphiQL and curl work without credentials.
    apiToken ??= SIMULATOR_TOKEN;
    console.log(`No AMPECO_BASE_URL set: using the built-in AMPECO simulator at ${simulator.url}`);
  }
  const server = await startServer({ ...config, baseUrl: baseUrl!, apiToken }, { simulator: Boolean(closeSimulator) });
  console.log(`GraphQL endpoint: ${server.graphqlUrl}`);
  console.log(`GraphiQL:         ${server.url}/`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    void (async () => {
      await server.close();
      await closeSimulator?.();
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();

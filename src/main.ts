/**
 * `npm start`: serves the facade. Without AMPECO_BASE_URL it first starts the built-in AMPECO
 * simulator on a free local port and points the facade at it.
 */
import type { AppConfig } from './config.js';
import { envReader } from './config-env.js';
import { parseObservabilityConfig } from './observability/config.js';

// Tracing patches http, undici and graphql as they load, so it starts before anything that loads them
// is imported (a bad value is reported by loadConfig below). The OpenTelemetry SDK is imported only when
// tracing is on: loading it costs ~0.13 s of start-up and ~7 MiB of RSS.
const tracingConfig = parseObservabilityConfig(envReader(process.env)).tracing;
const tracing = tracingConfig.enabled ? (await import('./observability/tracing.js')).startTracing(tracingConfig) : undefined;
const { describeAccess } = await import('./auth/describe.js');
const { ConfigError, loadConfig } = await import('./config.js');
const { startServer } = await import('./server.js');

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
  // Which mode, and who may call: the one line an operator reads (and a warning when nobody is checked).
  const access = describeAccess(config.auth, { serverToken: apiToken !== undefined, onSimulator: Boolean(closeSimulator) });
  if (access.warning) console.error(access.warning.join('\n'));
  console.log(access.mode);
  const server = await startServer({ ...config, baseUrl, apiToken }, { simulator: Boolean(closeSimulator) });
  console.log(`GraphQL endpoint: ${server.graphqlUrl}`);
  if (tracing) console.log(`Tracing on: spans of "${tracingConfig.serviceName}" are exported over OTLP/HTTP.`);
  if (config.auth.graphiql) console.log(`GraphiQL:         ${server.url}/`);

  let stopping = false;
  const stop = (signal: string): void => {
    // A second signal means "now": the operator has given up waiting.
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal}: shutting down; in-flight requests have ${config.shutdownGraceMs} ms to finish`);
    // Whatever still holds the event loop (a stuck upstream, a socket) cannot keep the process
    // past the grace period; unref'd, so a clean drain exits as soon as it is done.
    setTimeout(() => {
      console.error(`Shutdown took longer than ${config.shutdownGraceMs} ms: exiting anyway.`);
      process.exit(1);
    }, config.shutdownGraceMs + 1_000).unref();
    void (async () => {
      try {
        await server.close();
        await closeSimulator?.();
        // Flushes the spans still buffered.
        await tracing?.shutdown();
        process.exit(0);
      } catch (error) {
        console.error('Shutdown failed:', error);
        process.exit(1);
      }
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();

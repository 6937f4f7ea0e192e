/**
 * Starts the AMPECO simulator and the facade in front of it, both on free local ports, and
 * offers a GraphQL client over real HTTP. Each test file gets its own stack.
 */
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/index.js';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server.js';

export const TOKEN = 'sim-token';

/** Small enough to be quick, large enough to page through several pages. */
export const SMALL_WORLD = { locations: 6, chargePoints: 24, evses: 48, connectors: 72, users: 40, sessions: 260 };

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface Stack {
  sim: Simulator;
  server: RunningServer;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T>>;
  /** Upstream calls the simulator received since the last `sim.clearLog()`. */
  upstreamCalls(filter?: (e: { method: string; path: string }) => boolean): number;
  close(): Promise<void>;
}

/** The facade's configuration in tests: defaults, loopback on a free port, a short upstream timeout, pass-through auth. */
export function testServerConfig(baseUrl: string, overrides: Partial<AppConfig> = {}): AppConfig & { baseUrl: string } {
  return {
    ...loadConfig({}),
    apiToken: undefined,
    host: '127.0.0.1',
    port: 0,
    timeoutMs: 5_000,
    maxInFlight: 32,
    rateLimitPerMinute: undefined,
    ...overrides,
    baseUrl,
  };
}

export async function startStack(
  options: { simulator?: SimulatorOptions; config?: Partial<AppConfig>; server?: ServerOptions } = {},
): Promise<Stack> {
  const sim = await startSimulator({ port: 0, host: '127.0.0.1', seed: 7, size: SMALL_WORLD, ...options.simulator });
  const server = await startServer(testServerConfig(sim.url, options.config), options.server);
  return {
    sim,
    server,
    async gql(query, variables, { token = TOKEN, headers = {} } = {}) {
      const res = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GraphQLResponse;
      return { ...body, status: res.status } as never;
    },
    upstreamCalls(filter = () => true) {
      return sim.log.filter((e) => filter(e)).length;
    },
    async close() {
      await server.close();
      await sim.close();
    },
  };
}

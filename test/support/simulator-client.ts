/** The simulator with a bare HTTP client in front of it: the upstream of the datasource's unit tests. */
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { AmpecoHttpClient } from '../../src/datasources/http/index.js';
import { SMALL_WORLD, TOKEN } from './stack.js';

export async function simulatorAndClient(): Promise<{ sim: Simulator; http: AmpecoHttpClient }> {
  const sim = await startSimulator({ port: 0, host: '127.0.0.1', seed: 7, size: SMALL_WORLD, tokens: [TOKEN] });
  // No retries: a unit test counts exactly the calls it causes.
  return { sim, http: new AmpecoHttpClient({ baseUrl: sim.url, retry: { attempts: 1 } }) };
}

export async function closeSimulatorAndClient(upstream: { sim?: Simulator; http?: AmpecoHttpClient }): Promise<void> {
  await upstream.http?.close();
  await upstream.sim?.close();
}

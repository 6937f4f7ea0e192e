/** federated-charge-points: 100 charge points by id, all in parallel (AMPECO has no multi-id read). */
import { PATHS, readMany, type Rest } from './api.js';

export async function federatedChargePoints(api: Rest, vars: { representations: { id: string }[] }): Promise<unknown> {
  const cps = await readMany(api, PATHS.chargePoints, vars.representations.map((r) => r.id));
  return vars.representations.map((r) => cps.get(String(r.id)) ?? null);
}

/** evse-status-board: 100 EVSEs with connectors embedded, then their charge points, then the sites. */
import { PATHS, readMany, type Rest } from './api.js';

export async function evseStatusBoard(api: Rest): Promise<unknown> {
  const evses = await api.list(PATHS.evses, { perPage: 100, include: ['connectors'] });
  const cps = await readMany(api, PATHS.chargePoints, evses.map((e) => e.chargePointId));
  const locations = await readMany(api, PATHS.locations, [...cps.values()].map((cp) => cp.locationId));
  return evses.map((e) => {
    const cp = cps.get(String(e.chargePointId));
    return { ...e, chargePoint: cp ? { ...cp, location: locations.get(String(cp.locationId)) ?? null } : null };
  });
}

/** operator-dashboard: locations -> charge points per location -> EVSEs with connectors embedded. */
import { PATHS, type Rest } from './api.js';

export async function operatorDashboard(api: Rest): Promise<unknown> {
  const locations = await api.list(PATHS.locations, { perPage: 5 });
  const cpsByLocation = await Promise.all(locations.map((l) => api.list(PATHS.chargePoints, { filter: { locationId: l.id }, perPage: 10 })));
  const cps = cpsByLocation.flat();
  // One EVSE listing per charge point, connectors embedded: no per-EVSE connector calls.
  const evses = await Promise.all(cps.map((cp) => api.listAll(PATHS.evses, { filter: { chargePointId: cp.id }, include: ['connectors'] })));
  const evsesOf = new Map(cps.map((cp, i) => [cp.id, evses[i]]));
  return locations.map((l, i) => ({ ...l, chargePoints: cpsByLocation[i]!.map((cp) => ({ ...cp, evses: evsesOf.get(cp.id) })) }));
}

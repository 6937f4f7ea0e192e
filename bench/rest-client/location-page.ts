/** location-page: the location (zones embedded) and its charge points at once, then every charge point's EVSEs. */
import { PATHS, type Rest } from './api.js';

export async function locationPage(api: Rest, vars: { id: string }): Promise<unknown> {
  const [location, cps] = await Promise.all([
    api.read(PATHS.locations, vars.id, ['chargingZones']),
    api.list(PATHS.chargePoints, { filter: { locationId: vars.id }, perPage: 50 }),
  ]);
  if (!location) return null;
  const zones = (location.chargingZones as { id: number }[] | undefined) ?? [];
  const evses = await Promise.all(cps.map((cp) => api.listAll(PATHS.evses, { filter: { chargePointId: cp.id } })));
  return {
    ...location,
    chargePoints: cps.map((cp, i) => ({ ...cp, chargingZone: zones.find((z) => z.id === cp.chargingZoneId) ?? null, evses: evses[i] })),
  };
}

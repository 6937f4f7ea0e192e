/** charge-point-table: one listing; the link columns are ids already on each record. */
import { PATHS, type Rest } from './api.js';

export async function chargePointTable(api: Rest): Promise<unknown> {
  const cps = await api.list(PATHS.chargePoints, { perPage: 100 });
  return cps.map((cp) => ({
    ...cp,
    location: cp.locationId ? { id: cp.locationId } : null,
    chargingZone: cp.chargingZoneId ? { id: cp.chargingZoneId, locationId: cp.locationId } : null,
    owner: (cp.user as { id?: unknown } | undefined)?.id ? { id: (cp.user as { id: unknown }).id } : null,
  }));
}

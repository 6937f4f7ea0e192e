/** charge-point-detail: everything keyed by the charge point id starts at once; then location and users. */
import { PATHS, readMany, type Rest } from './api.js';

export async function chargePointDetail(api: Rest, vars: { id: string }): Promise<unknown> {
  const [cp, evses, sessions] = await Promise.all([
    api.read(PATHS.chargePoints, vars.id),
    api.listAll(PATHS.evses, { filter: { chargePointId: vars.id }, include: ['connectors'] }),
    api.list(PATHS.sessions, { filter: { chargePointId: vars.id }, perPage: 10 }),
  ]);
  if (!cp) return null;
  // The zone comes embedded in the location; sessions' EVSEs and connectors are in `evses` already.
  const [location, users] = await Promise.all([
    cp.locationId ? api.read(PATHS.locations, cp.locationId as number, ['chargingZones']) : null,
    readMany(api, PATHS.users, sessions.map((s) => s.userId)),
  ]);
  const zones = (location?.chargingZones as { id: number }[] | undefined) ?? [];
  const evse = new Map(evses.map((e) => [String(e.id), e]));
  return {
    ...cp,
    location,
    chargingZone: zones.find((z) => z.id === cp.chargingZoneId) ?? null,
    evses,
    sessions: sessions.map((s) => {
      const e = evse.get(String(s.evseId));
      const connectors = (e?.connectors as { id: number }[] | undefined) ?? [];
      return { ...s, user: users.get(String(s.userId)) ?? null, evse: e ?? null, connector: connectors.find((c) => c.id === s.connectorId) ?? null };
    }),
  };
}

/** charge-point-many-paths: the charge point is fetched once; every path to it reuses that record. */
import { PATHS, type Rec, type Rest } from './api.js';

export async function chargePointManyPaths(api: Rest, vars: { id: string }): Promise<unknown> {
  const [cp, evses, sessions] = await Promise.all([
    api.read(PATHS.chargePoints, vars.id),
    api.listAll(PATHS.evses, { filter: { chargePointId: vars.id }, include: ['connectors'] }),
    api.list(PATHS.sessions, { filter: { chargePointId: vars.id }, perPage: 5 }),
  ]);
  if (!cp) return null;
  const [location, siblings] = cp.locationId
    ? await Promise.all([
        api.read(PATHS.locations, cp.locationId as number),
        api.list(PATHS.chargePoints, { filter: { locationId: cp.locationId as number }, perPage: 5 }),
      ])
    : [null, []];
  const evse = new Map<string, Rec>(evses.map((e) => [String(e.id), { ...e, chargePoint: cp }]));
  const connectorOf = (s: Rec) => ((evse.get(String(s.evseId))?.connectors as Rec[] | undefined) ?? []).find((c) => c.id === s.connectorId);
  return {
    ...cp,
    location: location ? { ...location, chargePoints: siblings } : null,
    evses: [...evse.values()].map((e) => ({
      ...e,
      connectors: ((e.connectors as Rec[] | undefined) ?? []).map((c) => ({ ...c, chargePoint: cp, evse: e })),
    })),
    sessions: sessions.map((s) => ({ ...s, chargePoint: cp, evse: evse.get(String(s.evseId)) ?? null, connector: connectorOf(s) ?? null })),
  };
}

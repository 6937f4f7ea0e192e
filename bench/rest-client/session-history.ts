/** session-history: 100 sessions, then their charge points, EVSEs (connectors embedded) and users in one parallel wave. */
import { PATHS, readMany, unique, type Rec, type Rest } from './api.js';

export async function sessionHistory(api: Rest): Promise<unknown> {
  const sessions = await api.list(PATHS.sessions, { perPage: 100 });
  const cpIds = unique(sessions.map((s) => s.chargePointId));
  const evseIds = unique(sessions.map((s) => s.evseId));
  // EVSEs: N point reads, or one listing per charge point when that is fewer calls.
  const evsesByListing = cpIds.length < evseIds.length;
  const [cps, evseList, users] = await Promise.all([
    readMany(api, PATHS.chargePoints, cpIds),
    evsesByListing
      ? Promise.all(cpIds.map((id) => api.listAll(PATHS.evses, { filter: { chargePointId: id }, include: ['connectors'] }))).then((l) => l.flat())
      : readMany(api, PATHS.evses, evseIds, ['connectors']).then((m) => [...m.values()]),
    readMany(api, PATHS.users, sessions.map((s) => s.userId)),
  ]);
  const evses = new Map(evseList.map((e) => [String(e.id), e]));
  return sessions.map((s) => {
    const e = evses.get(String(s.evseId));
    const connectors = (e?.connectors as Rec[] | undefined) ?? [];
    return {
      ...s,
      chargePoint: cps.get(String(s.chargePointId)) ?? null,
      evse: e ?? null,
      connector: connectors.find((c) => c.id === s.connectorId) ?? null,
      user: users.get(String(s.userId)) ?? null,
    };
  });
}

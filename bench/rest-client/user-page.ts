/** user-page: profile, sessions and owned charge points at once; then the sessions' charge points; then their sites. */
import { PATHS, byId, readMany, unique, type Rest } from './api.js';

export async function userPage(api: Rest, vars: { id: string }): Promise<unknown> {
  const [user, sessions, owned] = await Promise.all([
    api.read(PATHS.users, vars.id),
    api.list(PATHS.sessions, { filter: { userId: vars.id }, perPage: 20 }),
    api.list(PATHS.chargePoints, { filter: { userId: vars.id }, perPage: 10 }),
  ]);
  if (!user) return null;
  const known = byId(owned);
  const fetched = await readMany(api, PATHS.chargePoints, unique(sessions.map((s) => s.chargePointId)).filter((id) => !known.has(id)));
  const cps = new Map([...known, ...fetched]);
  // Only the sites of charge points shown in the sessions list are needed.
  const locations = await readMany(api, PATHS.locations, sessions.map((s) => cps.get(String(s.chargePointId))?.locationId));
  return {
    ...user,
    sessions: sessions.map((s) => {
      const cp = cps.get(String(s.chargePointId));
      return { ...s, chargePoint: cp ? { ...cp, location: locations.get(String(cp.locationId)) ?? null } : null };
    }),
    chargePoints: owned,
  };
}

/** active-sessions-monitor: active sessions, then users and charge points together, then the sites. */
import { PATHS, readMany, type Rest } from './api.js';

export async function activeSessionsMonitor(api: Rest): Promise<unknown> {
  const sessions = await api.list(PATHS.sessions, { filter: { status: 'active' }, perPage: 50 });
  const [users, cps] = await Promise.all([
    readMany(api, PATHS.users, sessions.map((s) => s.userId)),
    readMany(api, PATHS.chargePoints, sessions.map((s) => s.chargePointId)),
  ]);
  const locations = await readMany(api, PATHS.locations, [...cps.values()].map((cp) => cp.locationId));
  return sessions.map((s) => {
    const cp = cps.get(String(s.chargePointId));
    return {
      ...s,
      user: users.get(String(s.userId)) ?? null,
      chargePoint: cp ? { ...cp, location: locations.get(String(cp.locationId)) ?? null } : null,
    };
  });
}

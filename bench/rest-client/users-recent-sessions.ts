/** users-recent-sessions: 30 users, one small session listing per user, then the distinct charge points. */
import { PATHS, readMany, type Rest } from './api.js';

export async function usersRecentSessions(api: Rest): Promise<unknown> {
  const users = await api.list(PATHS.users, { perPage: 30 });
  const sessions = await Promise.all(users.map((u) => api.list(PATHS.sessions, { filter: { userId: u.id }, perPage: 3 })));
  const cps = await readMany(api, PATHS.chargePoints, sessions.flat().map((s) => s.chargePointId));
  return users.map((u, i) => ({
    ...u,
    sessions: sessions[i]!.map((s) => ({ ...s, chargePoint: cps.get(String(s.chargePointId)) ?? null })),
  }));
}

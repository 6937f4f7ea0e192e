/** circuit-load: the circuits, then their meters and charge points at once, then each charge point's sessions, then the drivers. */
import { PATHS, readMany, type Rest } from './api.js';

export async function circuitLoad(api: Rest): Promise<unknown> {
  const circuits = await api.list(PATHS.circuits, { perPage: 5 });
  // A charge point's record does not name its circuit: each circuit's are a filtered listing.
  const [meters, chargePointsOf] = await Promise.all([
    readMany(api, PATHS.electricityMeters, circuits.map((c) => c.electricityMeterId)),
    Promise.all(circuits.map((c) => api.list(PATHS.chargePoints, { filter: { circuitId: c.id }, perPage: 10 }))),
  ]);
  const sessionsOf = await Promise.all(
    chargePointsOf.map((cps) => Promise.all(cps.map((cp) => api.list(PATHS.sessions, { filter: { chargePointId: cp.id }, perPage: 5 })))),
  );
  const users = await readMany(api, PATHS.users, sessionsOf.flat(2).map((s) => s.userId));
  return circuits.map((circuit, i) => ({
    ...circuit,
    electricityMeter: meters.get(String(circuit.electricityMeterId)) ?? null,
    chargePoints: chargePointsOf[i]!.map((cp, j) => ({
      ...cp,
      sessions: sessionsOf[i]![j]!.map((s) => ({ ...s, user: users.get(String(s.userId)) ?? null })),
    })),
  }));
}

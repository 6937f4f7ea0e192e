/** partner-settlement: everything keyed by the partner id starts at once; then the reports' records and the charge points' locations. */
import { PATHS, readMany, type Rest } from './api.js';

export async function partnerSettlement(api: Rest, vars: { id: string }): Promise<unknown> {
  const [partner, reports, chargePoints, users] = await Promise.all([
    api.read(PATHS.partners, vars.id),
    api.list(PATHS.settlementReports, { filter: { partnerId: vars.id }, perPage: 3 }),
    api.list(PATHS.chargePoints, { filter: { partnerId: vars.id }, perPage: 10 }),
    api.list(PATHS.users, { filter: { partnerId: vars.id }, perPage: 10 }),
  ]);
  if (!partner) return null;
  // A report's records are listed only under its own path.
  const [recordsOf, locations] = await Promise.all([
    Promise.all(reports.map((r) => api.list(`${PATHS.settlementReports}/${encodeURIComponent(String(r.id))}/records`, { perPage: 10 }))),
    readMany(api, PATHS.locations, chargePoints.map((cp) => cp.locationId)),
  ]);
  return {
    ...partner,
    settlementReports: reports.map((r, i) => ({ ...r, records: recordsOf[i] })),
    chargePoints: chargePoints.map((cp) => ({ ...cp, location: locations.get(String(cp.locationId)) ?? null })),
    users,
  };
}

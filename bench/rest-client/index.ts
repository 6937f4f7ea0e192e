/** The hand-written REST client's screens, one per corpus query (same file name as the .graphql). */
import type { Rest } from './api.js';
import { activeSessionsMonitor } from './active-sessions-monitor.js';
import { chargePointDetail } from './charge-point-detail.js';
import { chargePointManyPaths } from './charge-point-many-paths.js';
import { chargePointTable } from './charge-point-table.js';
import { circuitLoad } from './circuit-load.js';
import { hardwareInventory } from './hardware-inventory.js';
import { evseStatusBoard } from './evse-status-board.js';
import { federatedChargePoints } from './federated-charge-points.js';
import { locationPage } from './location-page.js';
import { operatorDashboard } from './operator-dashboard.js';
import { partnerSettlement } from './partner-settlement.js';
import { sessionHistory } from './session-history.js';
import { userPage } from './user-page.js';
import { usersRecentSessions } from './users-recent-sessions.js';

export { Rest } from './api.js';

// Variables come from the corpus' .json files; each screen knows the shape of its own.
type Screen = (api: Rest, vars: never) => Promise<unknown>;

export const screens: Record<string, Screen> = {
  'active-sessions-monitor': activeSessionsMonitor,
  'charge-point-detail': chargePointDetail,
  'charge-point-many-paths': chargePointManyPaths,
  'charge-point-table': chargePointTable,
  'circuit-load': circuitLoad,
  'hardware-inventory': hardwareInventory,
  'evse-status-board': evseStatusBoard,
  'federated-charge-points': federatedChargePoints,
  'location-page': locationPage,
  'operator-dashboard': operatorDashboard,
  'partner-settlement': partnerSettlement,
  'session-history': sessionHistory,
  'user-page': userPage,
  'users-recent-sessions': usersRecentSessions,
};

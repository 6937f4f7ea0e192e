/**
 * The example's operations in the order a screen flow would send them, printed as one JSON object:
 *
 *   npm start                                  # the facade, on the built-in simulator
 *   npx tsx examples/typed-client/index.ts     # GRAPHQL_URL, GRAPHQL_TOKEN to point it elsewhere
 *
 * Only reads, unless RENAME_TO is set: then the charge point shown is renamed to it.
 */
import { createClient } from './client.js';
import { ChargePointDetails, ChargePointsMatching, RecentSessions, RenameChargePoint } from './operations.js';

const execute = createClient({
  url: process.env.GRAPHQL_URL ?? 'http://localhost:4000/graphql',
  token: process.env.GRAPHQL_TOKEN,
});

// The newest sessions, then the page after them: `endCursor` goes back as `after`.
const { sessions } = await execute(RecentSessions, { first: 3 });
const next = sessions?.pageInfo.hasNextPage ? await execute(RecentSessions, { first: 3, after: sessions.pageInfo.endCursor }) : null;

// The charge point of the newest session, and the other charge points at its location.
const chargePointId = sessions?.nodes[0]?.chargePoint?.id;
if (!chargePointId) throw new Error('no session with a charge point to show');
const { chargePoint } = await execute(ChargePointDetails, { id: chargePointId });
const locationId = chargePoint?.location?.id;
const neighbours = locationId ? await execute(ChargePointsMatching, { filter: { locationId } }) : null;

const rename = process.env.RENAME_TO;
const renamed = rename ? await execute(RenameChargePoint, { id: chargePointId, name: rename }) : null;

console.log(
  JSON.stringify(
    {
      recentSessions: sessions?.nodes ?? [],
      nextSessions: next?.sessions?.nodes ?? [],
      chargePoint,
      chargePointsAtLocation: neighbours?.chargePoints?.nodes ?? [],
      ...(renamed ? { renamed: renamed.updateChargePoint } : {}),
    },
    null,
    2,
  ),
);

import type { ChargePointResolvers } from '../__generated__/resolvers-types.js';
import { typeResolvers } from './factory.js';

/**
 * ChargePoint: relations and federation's `__resolveReference` follow from its definition in
 * the definitions derived from the contract (src/__generated__/graph.json, overlay in src/definitions/overlay.ts): a charge point's location, zone, owner, EVSEs and sessions.
 * Add a resolver here only for what the definition cannot say; `satisfies` checks it against the schema.
 */
export const ChargePoint = {
  ...typeResolvers('ChargePoint'),
} satisfies ChargePointResolvers;

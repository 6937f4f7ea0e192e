import type { ChargingZoneResolvers } from '../__generated__/resolvers-types.js';
import { typeResolvers } from './factory.js';

/**
 * ChargingZone: relations and federation's `__resolveReference` follow from its definition in
 * the definitions derived from the contract (src/__generated__/graph.json, overlay in src/definitions/overlay.ts): a zone's location and its charge points (listing filtered by chargingZoneId).
 * Add a resolver here only for what the definition cannot say; `satisfies` checks it against the schema.
 */
export const ChargingZone = {
  ...typeResolvers('ChargingZone'),
} satisfies ChargingZoneResolvers;

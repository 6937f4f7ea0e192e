import type { EvseResolvers } from '../__generated__/resolvers-types.js';
import { typeResolvers } from './factory.js';

/**
 * Evse: relations and federation's `__resolveReference` follow from its definition in
 * the definitions derived from the contract (src/__generated__/graph.json, overlay in src/definitions/overlay.ts): an EVSE's charge point, its connectors (embedded with include[]) and its sessions.
 * Add a resolver here only for what the definition cannot say; `satisfies` checks it against the schema.
 */
export const Evse = {
  ...typeResolvers('Evse'),
} satisfies EvseResolvers;

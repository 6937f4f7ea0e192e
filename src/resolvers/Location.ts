import type { LocationResolvers } from '../__generated__/resolvers-types.js';
import { typeResolvers } from './factory.js';

/**
 * Location: relations and federation's `__resolveReference` follow from its definition in
 * the definitions derived from the contract (src/__generated__/graph.json, overlay in src/definitions/overlay.ts): a location's charging zones (embedded with include[]) and charge points (listing filtered by locationId).
 * Add a resolver here only for what the definition cannot say; `satisfies` checks it against the schema.
 */
export const Location = {
  ...typeResolvers('Location'),
} satisfies LocationResolvers;

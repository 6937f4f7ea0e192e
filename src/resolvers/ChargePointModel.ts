import type { ChargePointModelResolvers } from '../__generated__/resolvers-types.js';
import { typeResolvers } from './factory.js';

/**
 * ChargePointModel: relations and federation's `__resolveReference` follow from its definition in
 * the definitions derived from the contract (src/__generated__/graph.json, overlay in src/definitions/overlay.ts): a model's vendor and its charge points (listing filtered by modelId).
 * Add a resolver here only for what the definition cannot say; `satisfies` checks it against the schema.
 */
export const ChargePointModel = {
  ...typeResolvers('ChargePointModel'),
} satisfies ChargePointModelResolvers;

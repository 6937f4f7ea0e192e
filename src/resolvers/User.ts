import type { UserResolvers } from '../__generated__/resolvers-types.js';
import { typeResolvers } from './factory.js';

/**
 * User: relations and federation's `__resolveReference` follow from its definition in
 * the definitions derived from the contract (src/__generated__/graph.json, overlay in src/definitions/overlay.ts): a user's sessions and personal charge points.
 * Add a resolver here only for what the definition cannot say; `satisfies` checks it against the schema.
 */
export const User = {
  ...typeResolvers('User'),
} satisfies UserResolvers;

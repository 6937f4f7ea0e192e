import type { UserResolvers } from '../__generated__/resolvers-types.js';
import { typeResolvers } from './factory.js';

/**
 * User: relations and federation's `__resolveReference` follow from its definition in
 * src/definitions/resources.ts: a user's sessions and personal charge points.
 * Add a resolver here only for what the definition cannot say; `satisfies` checks it against the schema.
 */
export const User = {
  ...typeResolvers('User'),
} satisfies UserResolvers;

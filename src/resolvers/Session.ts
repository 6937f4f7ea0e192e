import type { SessionResolvers } from '../__generated__/resolvers-types.js';
import { typeResolvers } from './factory.js';

/**
 * Session: relations and federation's `__resolveReference` follow from its definition in
 * the definitions derived from the contract (src/__generated__/graph.json, overlay in src/definitions/overlay.ts): a session's charge point, EVSE, connector and user.
 * Add a resolver here only for what the definition cannot say; `satisfies` checks it against the schema.
 */
export const Session = {
  ...typeResolvers('Session'),
} satisfies SessionResolvers;

import type { ConnectorResolvers } from '../__generated__/resolvers-types.js';
import { typeResolvers } from './factory.js';

/**
 * Connector: relations and federation's `__resolveReference` follow from its definition in
 * the definitions derived from the contract (src/__generated__/graph.json, overlay in src/definitions/overlay.ts): a connector's EVSE and charge point (ids stamped on by the datasource, as AMPECO's record has neither).
 * Add a resolver here only for what the definition cannot say; `satisfies` checks it against the schema.
 */
export const Connector = {
  ...typeResolvers('Connector'),
} satisfies ConnectorResolvers;

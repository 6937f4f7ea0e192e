import { typeResolvers } from './factory.js';

/**
 * ChargePoint: relations and federation's `__resolveReference` follow from its definition in
 * src/definitions/resources.ts: a charge point's location, zone, owner, EVSEs and sessions.
 * Add a resolver here only for what the definition cannot say.
 */
export const ChargePoint = typeResolvers('ChargePoint');

import { typeResolvers } from './factory.js';

/**
 * Session: relations and federation's `__resolveReference` follow from its definition in
 * src/definitions/resources.ts: a session's charge point, EVSE, connector and user.
 * Add a resolver here only for what the definition cannot say.
 */
export const Session = typeResolvers('Session');

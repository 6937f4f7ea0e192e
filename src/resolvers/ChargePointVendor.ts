import { typeResolvers } from './factory.js';

/**
 * ChargePointVendor: relations and federation's `__resolveReference` follow from its definition in
 * src/definitions/resources.ts: a vendor's models (listing filtered by vendorId).
 * Add a resolver here only for what the definition cannot say.
 */
export const ChargePointVendor = typeResolvers('ChargePointVendor');

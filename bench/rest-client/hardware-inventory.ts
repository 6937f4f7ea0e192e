/** hardware-inventory: one charge point page; the small model and vendor catalogues read whole, in parallel. */
import { jsonText } from '../stats.js';
import { byId, PATHS, type Rest } from './api.js';

export async function hardwareInventory(api: Rest): Promise<unknown> {
  const [cps, models, vendors] = await Promise.all([
    api.list(PATHS.chargePoints, { perPage: 100 }),
    api.listAllByPage(PATHS.chargePointModels),
    api.listAllByPage(PATHS.chargePointVendors),
  ]);
  const modelById = byId(models);
  const vendorById = byId(vendors);
  return cps.map((cp) => {
    const model = cp.modelId === null || cp.modelId === undefined ? undefined : modelById.get(jsonText(cp.modelId));
    return { ...cp, model: model ? { ...model, vendor: vendorById.get(String(model.vendorId)) ?? null } : null };
  });
}

/**
 * Action endpoints (`/public-api/actions/...`, and the writes of sub-resources and views the
 * definitions map to commands). Each defined action is routed from the contract and answered
 * generically: path ids checked, body validated, the declared success status with the record written
 * or a body fabricated from the declared schema. Effects later reads show come from three places:
 * - a write on a view's path changes the view's records (`writeViewPath` in ./views.ts: contact
 *   details, invoice details, energy mix, price periods, shared partners, smart charging preferences);
 * - commands that set fields of the record they act on are a table (`SETS`);
 * - the rest have a hook keyed by operationId (sessions, balance, circuits, vouchers, invoices).
 */
import type { ContractOperation } from '../src/definitions/contract-model.js';
import { fabricate, fabricateRecord } from './fabricate.js';
import { sessionCosts, whFromKwh } from './hooks.js';
import { HttpError, notFound, unprocessable, type Reply } from './http.js';
import { insertRecord, patchRecord, pathParam, recordBody, removeCascade, toRecordShape, validBody, type RequestInfo, type Runtime } from './handlers.js';
import type { ResourceModel } from './model.js';
import type { Row } from './store.js';
import type { SimRecord } from './types.js';
import { addListRecord, viewByOperation, writeListRecord, writeObjectView, writeViewPath } from './views.js';

interface ActionContext {
  rt: Runtime;
  op: ContractOperation;
  req: RequestInfo;
  /** The validated body; hooks read it after their lookups, since a missing record (404) wins over a bad body (422). */
  body(): Record<string, unknown>;
}

type ActionHook = (ctx: ActionContext) => Reply;

const HOUR = 3_600_000;

function need(ctx: ActionContext, type: string, param: string): Row {
  const id = pathParam(ctx.op, ctx.req, param);
  const row = ctx.rt.store.row(type, id);
  if (!row) throw notFound(type, id);
  return row;
}

function activeSessionOn(ctx: ActionContext, evseKey: number): Row | undefined {
  return ctx.rt.store.table('Session').lookup('evseId', String(evseKey)).find((r) => r.data.status === 'active');
}

function evsesOf(ctx: ActionContext, cpKey: number): Row[] {
  return ctx.rt.store.table('Evse').lookup('chargePointId', String(cpKey));
}

/** The charge point's EVSE with this OCPP network id (path segments named {evse} on charge point actions are network ids). */
function evseByNetworkId(ctx: ActionContext, cp: Row, networkId: string | number): Row | undefined {
  return evsesOf(ctx, cp.key).find((e) => String(e.data.networkId) === String(networkId));
}

/** Keeps only what the operation's 202 schema declares: the two start variants answer differently. */
function declared(op: ContractOperation, body: Record<string, unknown>): Reply {
  const response = op.responses[0];
  const props = response?.schema?.properties;
  if (!props) return { status: response?.status ?? 202 };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(props)) if (body[key] !== undefined) out[key] = body[key];
  for (const key of response.schema?.required ?? []) if (out[key] === undefined) out[key] = null;
  return { status: response.status, body: out };
}

function rejected(ctx: ActionContext, errorCode: string, message: string): Reply {
  const schema = ctx.op.responses[0]?.schema?.properties?.errorCode;
  const code = schema?.enum?.includes(errorCode) ? errorCode : 'INTERNAL_ISSUE';
  return declared(ctx.op, { success: false, sessionId: null, authorizationId: null, message, errorCode: code });
}

/**
 * Starts a session on `evse` (or on the charge point's first free EVSE when `evse` is undefined).
 * Business refusals are 202s with `success: false` and an errorCode, as the contract describes them.
 */
function startSession(ctx: ActionContext, cp: Row, evse: Row | undefined): Reply {
  const { store } = ctx.rt;
  const body = ctx.body();
  const errors: Record<string, string[]> = {};
  const userId = typeof body.userId === 'number' ? body.userId : null;
  const user = userId === null ? undefined : store.row('User', userId);
  if (userId !== null && !user) errors.userId = ['The selected user id is invalid.'];
  const connectorId = typeof body.connectorId === 'number' ? body.connectorId : null;
  let connector: Row | undefined;
  if (connectorId !== null) {
    connector = store.row('Connector', connectorId);
    if (!connector || connector.parents.chargePoint !== cp.key || (evse && connector.parents.evse !== evse.key)) {
      errors.connectorId = ['The selected connector id is invalid.'];
    }
  }
  if (typeof body.paymentMethodId === 'string' && body.paymentMethodId !== '' && userId === null) {
    errors.userId = ['The user id field is required when payment method id is present.'];
  }
  if (Object.keys(errors).length) throw unprocessable(errors);

  if (cp.data.status !== 'enabled') return rejected(ctx, 'CHARGING_NOT_ALLOWED', 'The charge point is not enabled.');
  if (user && user.data.status === 'disabled') return rejected(ctx, 'USER_IS_DISABLED', 'Your account is disabled.');
  if (connector && !evse) evse = store.row('Evse', connector.parents.evse ?? 0);
  if (evse) {
    if (activeSessionOn(ctx, evse.key)) return rejected(ctx, 'SESSION_EXISTS', 'A session is already running on this EVSE.');
    if (evse.data.status !== 'enabled') return rejected(ctx, 'CHARGING_NOT_ALLOWED', 'The EVSE is not enabled.');
  } else {
    evse = evsesOf(ctx, cp.key).find((e) => e.data.status === 'enabled' && e.data.hardwareStatus !== 'unavailable' && !activeSessionOn(ctx, e.key));
    if (!evse) return rejected(ctx, 'CHARGING_NOT_ALLOWED', 'No EVSE of the charge point is available.');
  }
  connector ??= store.table('Connector').lookup('@evse', String(evse.key))[0];

  const table = store.table('Session');
  const key = table.nextKey;
  const now = ctx.req.now;
  const model = ctx.rt.model.resources.get('Session')!;
  const rec: SimRecord = fabricateRecord(model.record, { rng: ctx.rt.rng, epochMs: now.getTime(), pOptional: 0, pNull: 0, requiredOnly: true }, new Set(model.gates.keys()));
  const maxW = (evse.data.powerOptions as { maxPower?: number | null } | undefined)?.maxPower ?? 22000;
  const powerKw = Math.round((maxW / 1000) * 0.8 * 100) / 100;
  Object.assign(rec, {
    id: String(key),
    chargePointId: cp.key,
    evseId: evse.key,
    connectorId: connector?.key ?? null,
    status: 'active',
    userId,
    startedAt: now.toISOString(),
    stoppedAt: null,
    energy: 0,
    powerKw,
    ...sessionCosts(0),
    currency: 'EUR',
    paymentType: userId === null ? 'terminal' : 'balance',
    paymentStatus: 'pending',
    billingStatus: 'pending',
    authorizationId: 99_999 + key,
    idTag: typeof body.idTag === 'string' ? body.idTag : typeof body.externalSessionId === 'string' ? body.externalSessionId : userId !== null ? `U${userId}` : `API${key}`,
    evsePhysicalReference: evse.data.physicalReference ?? null,
    energyConsumption: { total: 0, grid: 0, local: 0 },
    power: { latest: powerKw, peak: powerKw, average: powerKw },
    nonBillableEnergy: 0,
    lastUpdatedAt: now.toISOString(),
  });
  if (typeof body.paymentMethodId === 'string') rec.paymentMethodId = body.paymentMethodId;
  if (typeof body.bookingId === 'number') rec.bookingId = body.bookingId;
  table.insert(rec, undefined, key);
  evse.data.hardwareStatus = 'charging';
  evse.data.lastUpdatedAt = now.toISOString();
  store.table('Evse').touch();
  return declared(ctx.op, { success: true, sessionId: key, authorizationId: rec.authorizationId });
}

const HOOKS: Record<string, ActionHook> = {
  chargePointStartChargingSessionWithoutEvse(ctx) {
    const cp = need(ctx, 'ChargePoint', 'chargePoint');
    return startSession(ctx, cp, undefined);
  },

  evseStartChargingWithEvseId(ctx) {
    const evse = need(ctx, 'Evse', 'evse');
    const cp = ctx.rt.store.row('ChargePoint', evse.data.chargePointId as number);
    if (!cp) throw notFound('ChargePoint', evse.data.chargePointId as number);
    return startSession(ctx, cp, evse);
  },

  /** `/charge-point/{chargePoint}/start/{evse}`: here {evse} is the EVSE's network id. */
  chargePointStartChargingSession(ctx) {
    const cp = need(ctx, 'ChargePoint', 'chargePoint');
    const networkId = pathParam(ctx.op, ctx.req, 'evse');
    const evse = evseByNetworkId(ctx, cp, networkId);
    if (!evse) throw notFound('Evse', networkId);
    return startSession(ctx, cp, evse);
  },

  chargePointStopChargingSession(ctx) {
    const cp = need(ctx, 'ChargePoint', 'chargePoint');
    const session = need(ctx, 'Session', 'session');
    if (session.data.chargePointId !== cp.key) throw notFound('Session', session.key);
    ctx.body();
    // The contract declares 406 "rejected by the charge point" for stops, not 422.
    if (session.data.status !== 'active') throw new HttpError(406, 'The session is not active.');
    const now = ctx.req.now;
    const started = Date.parse(session.data.startedAt as string);
    const hours = Math.max(0, now.getTime() - started) / HOUR;
    const powerKw = typeof session.data.powerKw === 'number' ? session.data.powerKw : 11;
    const kwh = (session.data.energy as number) / 1000 + powerKw * Math.min(hours, 12) * 0.9;
    const energy = whFromKwh(kwh);
    Object.assign(session.data, {
      status: 'finished',
      reason: 'remote',
      stoppedAt: now.toISOString(),
      energy,
      powerKw: 0,
      ...sessionCosts(kwh),
      paymentStatus: 'paid',
      billingStatus: 'completed',
      energyConsumption: { total: energy, grid: energy, local: 0 },
      power: { latest: null, peak: powerKw, average: powerKw },
      lastUpdatedAt: now.toISOString(),
    });
    ctx.rt.store.table('Session').touch();
    const evse = ctx.rt.store.row('Evse', session.data.evseId as number);
    if (evse && !activeSessionOn(ctx, evse.key)) {
      evse.data.hardwareStatus = 'available';
      evse.data.lastUpdatedAt = now.toISOString();
      ctx.rt.store.table('Evse').touch();
    }
    return { status: 202 };
  },

  chargePointReset(ctx) {
    need(ctx, 'ChargePoint', 'chargePoint');
    pathParam(ctx.op, ctx.req, 'type');
    ctx.body();
    return declared(ctx.op, { success: true });
  },

  chargePointChangeAvailability(ctx) {
    const cp = need(ctx, 'ChargePoint', 'chargePoint');
    const body = ctx.body();
    let targets = evsesOf(ctx, cp.key);
    if (typeof body.evseNetworkId === 'number') {
      const evse = evseByNetworkId(ctx, cp, body.evseNetworkId);
      if (!evse) throw unprocessable({ evseNetworkId: ['The selected evse network id is invalid.'] });
      targets = [evse];
    }
    const inoperative = body.type === 'Inoperative';
    let scheduled = false;
    const stamp = ctx.req.now.toISOString();
    for (const evse of targets) {
      if (activeSessionOn(ctx, evse.key)) {
        // Changing a charging EVSE waits for its session to end: the contract's 204 "scheduled".
        if (inoperative) scheduled = true;
        continue;
      }
      evse.data.hardwareStatus = inoperative ? 'unavailable' : 'available';
      evse.data.lastUpdatedAt = stamp;
    }
    ctx.rt.store.table('Evse').touch();
    const status = scheduled && ctx.op.responses.some((r) => r.status === 204) ? 204 : (ctx.op.responses[0]?.status ?? 202);
    return { status };
  },

  chargePointEvseUnlock(ctx) {
    const cp = need(ctx, 'ChargePoint', 'chargePoint');
    const networkId = pathParam(ctx.op, ctx.req, 'evse');
    if (!evseByNetworkId(ctx, cp, networkId)) throw notFound('Evse', networkId);
    ctx.body();
    return declared(ctx.op, { success: true });
  },
};

// ---------------------------------------------------------------------------------------------
// Commands that set fields of the record they act on

/**
 * Record field (dotted) <- where its new value comes from: `body.x` (the body's field, when sent),
 * `body` (the whole body), `now`, or `=json` (a constant); `a|b` takes the first that has a value.
 */
const SETS: Record<string, Record<string, string>> = {
  userChangeStatus: { status: 'body.status' },
  changeInstallerJobStatus: { status: 'body.status', outcomeDetails: 'body.outcomeDetails' },
  changeFlexibilityAssetStatus: { status: 'body.status', endsAt: 'body.endsAt' },
  parkingSpaceUpdateOccupancyStatus: { occupancyStatus: 'body.status' },
  reservationCancel: { status: '="canceled"', canceledAt: 'now' },
  chargePointChangeOwner: { 'user.id': 'body.userId' },
  chargePointChangeSharingCode: { sharingCode: 'body.sharingCode' },
  chargePointSetSecurityProfile: { 'security.desiredProfile': 'body.setSecurityProfile', 'security.desiredProfileStatus': '="pending"' },
  subscriptionPlanReplace: { replacementPlanId: 'body.planId', replacedAt: 'body.replaceAt|now' },
  tariffSetDisplayInformation: { display: 'body' },
  transactionUpdatePaymentReference: { ref: 'body.ref' },
  sessionAssignToUser: { userId: 'body.userId' },
  userClearSubscriptionAmountDue: { amountDue: '=0' },
  assignInstallerJobChargePoints: { chargePoints: 'body.chargePointIds', locationId: 'body.locationId' },
};

/** Body fields holding ids whose type their name does not say. */
const ID_FIELDS: Record<string, string> = { planId: 'SubscriptionPlan', satelliteChargePointId: 'ChargePoint' };

/**
 * Body fields named like AMPECO ids that hold the charge point's own numbers (OCPP), not records:
 * a charging profile's transaction, a configuration key's EVSE and connector.
 */
const NOT_REFERENCES: Record<string, string[]> = {
  chargePointSetChargingProfile: ['transactionId'],
  chargePointSetConfiguration: ['evseId'],
  configurationTemplateVariableCreate: ['evseId', 'connectorId'],
  configurationTemplateVariableUpdate: ['evseId', 'connectorId'],
  configurationTemplateBulkCreateVariables: ['evseId', 'connectorId'],
};

/**
 * Ids a command's body gives (`userId`, `chargePointIds`, `planId`) must name existing records, as
 * Laravel's `exists` rule checks; a string body field is no reference to a record with integer ids.
 */
function checkReferencedIds(ctx: ActionContext, body: Record<string, unknown>): void {
  if (Array.isArray(body)) return;
  const skip = new Set(NOT_REFERENCES[ctx.op.operationId] ?? []);
  const props = ctx.op.requestBody?.schema.properties ?? {};
  const fields = Object.keys(body).filter((field) => {
    const target = /Ids?$/.test(field) && !skip.has(field) ? referenced(ctx, field) : undefined;
    const prop = props[field];
    const type = prop?.type === 'array' ? prop.items?.type : prop?.type;
    return target && !(type === 'string' && target.record.properties?.id?.type === 'integer');
  });
  checkBodyIds(ctx, body, fields);
}

function referenced(ctx: ActionContext, field: string): ResourceModel | undefined {
  const base = field.endsWith('Ids') ? field.slice(0, -1) : field;
  const name = ID_FIELDS[base];
  return name ? ctx.rt.model.resources.get(name) : ctx.rt.model.idFields.get(base);
}

/** Ids in body fields (`userId`, `chargePointIds`) must name existing records, as Laravel's `exists` rule checks. */
function checkBodyIds(ctx: ActionContext, body: Record<string, unknown>, fields = Object.keys(body)): void {
  const errors: Record<string, string[]> = {};
  for (const field of fields) {
    const target = /Ids?$/.test(field) ? referenced(ctx, field) : undefined;
    const value = body[field];
    if (!target || value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    values.forEach((v, i) => {
      if ((typeof v !== 'number' && typeof v !== 'string') || !ctx.rt.store.row(target.name, v)) {
        const key = Array.isArray(value) ? `${field}.${i}` : field;
        errors[key] = [`The selected ${key} is invalid.`];
      }
    });
  }
  if (Object.keys(errors).length) throw unprocessable(errors);
}

function setAt(target: SimRecord, path: string[], value: unknown): void {
  let obj = target;
  for (const key of path.slice(0, -1)) {
    const next = obj[key];
    obj = (obj[key] = next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {}) as SimRecord;
  }
  obj[path[path.length - 1]!] = value;
}

function applySets(ctx: ActionContext, sets: Record<string, string>, target: { model: ResourceModel; row: Row }): void {
  const body = ctx.body();
  const patch: SimRecord = {};
  for (const [field, source] of Object.entries(sets)) {
    let value: unknown;
    for (const option of source.split('|')) {
      if (option === 'now') value = ctx.req.now.toISOString();
      else if (option === 'body') value = body;
      else if (option.startsWith('=')) value = JSON.parse(option.slice(1)) as unknown;
      else value = body[option.slice(5)];
      if (value !== undefined) break;
    }
    if (value === undefined) continue;
    // A list of ids where the record lists objects (`chargePoints: [{ id }]`).
    const schema = target.model.record.properties?.[field.split('.')[0]!];
    if (Array.isArray(value) && schema?.items?.properties?.id) value = (value as unknown[]).map((id) => ({ id }));
    setAt(patch, field.split('.'), value);
  }
  patchRecord(ctx.rt, target.model, target.row, patch, ctx.req.now);
}

/** The record an action acts on (its definition's `target`), checked to exist. */
function targetOf(ctx: ActionContext): { model: ResourceModel; row: Row } | undefined {
  const def = ctx.rt.model.actions.find((a) => a.operationId === ctx.op.operationId);
  const model = def?.target ? ctx.rt.model.resources.get(def.target.type) : undefined;
  if (!def?.target || !model) return undefined;
  return { model, row: need(ctx, model.name, def.target.pathParam) };
}

// ---------------------------------------------------------------------------------------------
// Hooks: commands with more than fields to set

function userOf(ctx: ActionContext): Row {
  return need(ctx, 'User', 'user');
}

/** The charge point's association with a circuit (Row.links.circuitId), if it is attached to `circuit`. */
function attachment(cp: Row, circuit: Row): { key: number; data: SimRecord } | undefined {
  const link = cp.links?.circuitId;
  return link && link.key === circuit.key ? link : undefined;
}

function attachedCharge(ctx: ActionContext, circuit: Row): { cp: Row; link: { key: number; data: SimRecord } } {
  const cp = need(ctx, 'ChargePoint', 'chargePoint');
  const link = attachment(cp, circuit);
  if (!link) throw new HttpError(404, `The charge point ${cp.key} is not attached to the circuit ${circuit.key}.`);
  return { cp, link };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

const EFFECTS: Record<string, ActionHook> = {
  userAddBalance(ctx) {
    const user = userOf(ctx);
    const body = ctx.body();
    const balance = typeof user.data.balance === 'number' ? user.data.balance : 0;
    patchRecord(ctx.rt, ctx.rt.model.resources.get('User')!, user, { balance: round2(balance + (body.amount as number)) }, ctx.req.now);
    return { status: ctx.op.responses[0]?.status ?? 202 };
  },

  /** Marks the voucher of that code redeemed by the user and credits its amount to the user's balance. */
  userRedeemVoucher(ctx) {
    const user = userOf(ctx);
    const body = ctx.body();
    const voucher = ctx.rt.store.table('Voucher').rows.find((r) => r.data.code === body.code || r.data.promoCode === body.code);
    if (!voucher || voucher.data.status === 'disabled') throw unprocessable({ code: ['The selected code is invalid.'] });
    if (voucher.data.redeemedAt) throw unprocessable({ code: ['The voucher has already been redeemed.'] });
    const vouchers = ctx.rt.model.resources.get('Voucher')!;
    patchRecord(ctx.rt, vouchers, voucher, { redeemedAt: ctx.req.now.toISOString(), redeemedByUserId: user.key, remainingAmount: 0 }, ctx.req.now);
    const amount = typeof voucher.data.amount === 'number' ? voucher.data.amount : 0;
    const balance = typeof user.data.balance === 'number' ? user.data.balance : 0;
    patchRecord(ctx.rt, ctx.rt.model.resources.get('User')!, user, { balance: round2(balance + amount) }, ctx.req.now);
    return { status: ctx.op.responses[0]?.status ?? 202 };
  },

  /** Starts a subscription of the user to the plan: a subscription record, which the user's `subscriptionId` names. */
  userActivateSubscription(ctx) {
    const user = userOf(ctx);
    const body = ctx.body();
    const subscriptions = ctx.rt.model.resources.get('UserSubscription');
    if (!subscriptions) return { status: 202 };
    const now = ctx.req.now.toISOString();
    const row = insertRecord(ctx.rt, subscriptions, { planId: body.planId, userId: user.key, startDate: now, endDate: body.endDate ?? null, status: 'active', statusDate: now }, {}, ctx.req.now);
    patchRecord(ctx.rt, ctx.rt.model.resources.get('User')!, user, { subscriptionId: row.key }, ctx.req.now);
    return { status: ctx.op.responses[0]?.status ?? 202 };
  },

  userCancelSubscription(ctx) {
    const user = userOf(ctx);
    ctx.body();
    const subscriptions = ctx.rt.model.resources.get('UserSubscription');
    const sub = typeof user.data.subscriptionId === 'number' && subscriptions ? ctx.rt.store.row(subscriptions.name, user.data.subscriptionId) : undefined;
    if (sub && subscriptions) patchRecord(ctx.rt, subscriptions, sub, { status: 'canceled', statusDate: ctx.req.now.toISOString() }, ctx.req.now);
    patchRecord(ctx.rt, ctx.rt.model.resources.get('User')!, user, { subscriptionId: null }, ctx.req.now);
    return { status: ctx.op.responses[0]?.status ?? 202 };
  },

  /** Attaches (or moves) the charge point to the circuit: the circuit lists it (`filter[circuitId]`, its priorities). */
  circuitAttachChargePoint(ctx) {
    const circuit = need(ctx, 'Circuit', 'circuit');
    const body = ctx.body();
    const cp = ctx.rt.store.row('ChargePoint', body.chargePointId as number)!;
    (cp.links ??= {}).circuitId = { key: circuit.key, data: { priority: typeof body.priority === 'number' ? body.priority : 0, evses: {} } };
    ctx.rt.store.table('ChargePoint').touch();
    return { status: ctx.op.responses[0]?.status ?? 202 };
  },

  circuitDetachChargePoint(ctx) {
    const circuit = need(ctx, 'Circuit', 'circuit');
    const { cp } = attachedCharge(ctx, circuit);
    delete cp.links!.circuitId;
    ctx.rt.store.table('ChargePoint').touch();
    return { status: ctx.op.responses[0]?.status ?? 202 };
  },

  circuitSetChargePointPriority(ctx) {
    const circuit = need(ctx, 'Circuit', 'circuit');
    const { link } = attachedCharge(ctx, circuit);
    link.data.priority = ctx.body().priority;
    return { status: ctx.op.responses[0]?.status ?? 202 };
  },

  circuitSetChargePointEvsePriority(ctx) {
    const circuit = need(ctx, 'Circuit', 'circuit');
    const { cp, link } = attachedCharge(ctx, circuit);
    const evse = need(ctx, 'Evse', 'evse');
    if (evse.data.chargePointId !== cp.key) throw notFound('Evse', evse.key);
    (link.data.evses as Record<string, unknown>)[evse.key] = ctx.body().priority;
    return { status: ctx.op.responses[0]?.status ?? 202 };
  },

  circuitSetCircuitSocPriority(ctx) {
    need(ctx, 'Circuit', 'circuit');
    const body = ctx.body();
    const view = viewByOperation(ctx.rt, 'circuitSocPrioritiesListing');
    if (view) writeObjectView(ctx.rt, view, ctx.req, body, 'merge');
    return { status: ctx.op.responses[0]?.status ?? 202 };
  },

  /** Sets a configuration key: the charge point's configuration list shows the value (OCPP ChangeConfiguration). */
  chargePointSetConfiguration(ctx) {
    need(ctx, 'ChargePoint', 'chargePoint');
    const body = ctx.body();
    const view = viewByOperation(ctx.rt, 'chargePointConfigurationsListing');
    const key: SimRecord = { name: body.name, value: body.value };
    for (const field of ['componentName', 'instance', 'evseId']) if (body[field] !== undefined) key[field] = body[field];
    if (view) writeListRecord(ctx.rt, view, ctx.req, 'key', String(body.name), { key }, 'merge');
    return { status: ctx.op.responses[0]?.status ?? 202 };
  },

  chargePointConfigurationUpdate(ctx) {
    need(ctx, 'ChargePoint', 'chargePoint');
    const name = String(pathParam(ctx.op, ctx.req, 'key'));
    const body = ctx.body();
    const view = viewByOperation(ctx.rt, 'chargePointConfigurationsListing');
    const record = view ? writeListRecord(ctx.rt, view, ctx.req, 'key', name, body.value === undefined ? {} : { key: { name, value: body.value } }, 'merge') : undefined;
    return { status: ctx.op.responses[0]?.status ?? 200, body: recordBody(ctx.op, record ?? { key: { name, value: body.value ?? '' } }) };
  },

  /** Adds the variables of the list to the template's variables (the body is an array). */
  configurationTemplateBulkCreateVariables(ctx) {
    need(ctx, 'ConfigurationTemplate', 'template');
    const items = ctx.body() as unknown;
    const view = viewByOperation(ctx.rt, 'configurationTemplateVariableListing');
    if (view && Array.isArray(items)) for (const item of items as Record<string, unknown>[]) addListRecord(ctx.rt, view, ctx.req, item, ctx.op.requestBody?.schema.items);
    return { status: ctx.op.responses[0]?.status ?? 200 };
  },

  /** Issues an invoice for the transaction: an invoice record, which the transaction then names. */
  transactionIssueInvoice(ctx) {
    const transaction = need(ctx, 'Transaction', 'transaction');
    ctx.body();
    const invoices = ctx.rt.model.resources.get('Invoice');
    const transactions = ctx.rt.model.resources.get('Transaction')!;
    if (!invoices) return { status: 202 };
    const number = `INV-${String(ctx.rt.store.table('Invoice').nextKey).padStart(6, '0')}`;
    const invoice = insertRecord(
      ctx.rt,
      invoices,
      { number, date: ctx.req.now.toISOString(), userId: ctx.rt.store.row('User', transaction.data.userId as number) ? transaction.data.userId : null, totalAmount: transaction.data.totalAmount ?? 0 },
      {},
      ctx.req.now,
    );
    patchRecord(ctx.rt, transactions, transaction, { invoiceId: invoice.key, invoiceNo: number }, ctx.req.now);
    return { status: ctx.op.responses[0]?.status ?? 202 };
  },

  /** Reserves the EVSE (by network id) for the user: an active reservation, named in the answer. */
  chargePointReserve(ctx) {
    const cp = need(ctx, 'ChargePoint', 'chargePoint');
    const networkId = pathParam(ctx.op, ctx.req, 'evse');
    const evse = evseByNetworkId(ctx, cp, networkId);
    if (!evse) throw notFound('Evse', networkId);
    const body = ctx.body();
    const reservations = ctx.rt.model.resources.get('Reservation');
    if (!reservations) return declared(ctx.op, { success: true });
    const row = insertRecord(
      ctx.rt,
      reservations,
      { chargePointId: cp.key, evseId: evse.key, userId: body.userId, status: 'active', reservedAt: ctx.req.now.toISOString(), canceledAt: null, duration: 15 },
      {},
      ctx.req.now,
    );
    return declared(ctx.op, { success: true, reservationId: row.key });
  },

  /** Moves EVSEs of the charge point to a satellite charge point: they are the satellite's afterwards. */
  chargePointMoveEvsesToSatellite(ctx) {
    const cp = need(ctx, 'ChargePoint', 'chargePoint');
    const body = ctx.body();
    const evses = (body.evseIds as unknown[]).map((id) => ctx.rt.store.row('Evse', id as number));
    const errors: Record<string, string[]> = {};
    evses.forEach((e, i) => {
      if (!e || e.data.chargePointId !== cp.key) errors[`evseIds.${i}`] = [`The selected evseIds.${i} is invalid.`];
    });
    if (Object.keys(errors).length) throw unprocessable(errors);
    const model = ctx.rt.model.resources.get('Evse')!;
    for (const e of evses) patchRecord(ctx.rt, model, e!, { chargePointId: body.satelliteChargePointId }, ctx.req.now);
    return { status: ctx.op.responses[0]?.status ?? 202 };
  },

  /** EVSEs written under their charge point's path are the same EVSEs the EVSE resource serves. */
  chargePointEvseCreate(ctx) {
    const cp = need(ctx, 'ChargePoint', 'chargePoint');
    const body = ctx.body();
    const model = ctx.rt.model.resources.get('Evse')!;
    const row = insertRecord(ctx.rt, model, { ...toRecordShape(body, ctx.op.requestBody?.schema, model.record), chargePointId: cp.key }, {}, ctx.req.now);
    return { status: ctx.op.responses[0]?.status ?? 201, body: recordBody(ctx.op, row.data) };
  },

  chargePointEvseUpdate(ctx) {
    const evse = evseOfChargePoint(ctx);
    const body = ctx.body();
    const model = ctx.rt.model.resources.get('Evse')!;
    patchRecord(ctx.rt, model, evse, toRecordShape(body, ctx.op.requestBody?.schema, model.record), ctx.req.now);
    return { status: ctx.op.responses[0]?.status ?? 200, body: recordBody(ctx.op, evse.data) };
  },

  chargePointEvseDelete(ctx) {
    const evse = evseOfChargePoint(ctx);
    removeCascade(ctx.rt, ctx.rt.model.resources.get('Evse')!, evse.key);
    return { status: ctx.op.responses[0]?.status ?? 204 };
  },

  /** Assigns the tariff group to every EVSE the filters select (all EVSEs without filters). */
  evseBulkAssignTariffGroups(ctx) {
    const body = ctx.body();
    const filters = (body.filters ?? {}) as Record<string, unknown[] | undefined>;
    const has = (list: unknown[] | undefined, value: unknown): boolean => !list || list.some((v) => String(v) === String(value));
    const model = ctx.rt.model.resources.get('Evse')!;
    for (const e of ctx.rt.store.table('Evse').rows) {
      const cp = ctx.rt.store.row('ChargePoint', e.data.chargePointId as number);
      if (!has(filters.evseIds, e.key) || !has(filters.chargePointIds, e.data.chargePointId) || !has(filters.locationIds, cp?.data.locationId)) continue;
      if (!has(filters.tariffGroupIds, e.data.tariffGroupId)) continue;
      patchRecord(ctx.rt, model, e, { tariffGroupId: body.tariffGroupId ?? null }, ctx.req.now);
    }
    return { status: ctx.op.responses[0]?.status ?? 202 };
  },
};

function evseOfChargePoint(ctx: ActionContext): Row {
  const cp = need(ctx, 'ChargePoint', 'chargePoint');
  const evse = need(ctx, 'Evse', 'evse');
  if (evse.data.chargePointId !== cp.key) throw notFound('Evse', evse.key);
  return evse;
}

function genericAction(ctx: ActionContext): Reply {
  for (const p of ctx.op.pathParams) {
    const owner = ctx.rt.model.byIdParam.get(p.name);
    if (owner) need(ctx, owner.name, p.name);
    else pathParam(ctx.op, ctx.req, p.name);
  }
  const body = ctx.body();
  const sets = SETS[ctx.op.operationId];
  if (sets) {
    const target = targetOf(ctx);
    if (target) applySets(ctx, sets, target);
  }
  const written = writeViewPath(ctx.rt, ctx.op, ctx.req, body);
  const response = ctx.op.responses[0];
  if (!response?.schema) return { status: response?.status ?? 202 };
  if (written?.record) return { status: response.status, body: recordBody(ctx.op, written.record) };
  const answer = fabricate(response.schema, { rng: ctx.rt.rng, epochMs: ctx.req.now.getTime(), pOptional: 1, pNull: 0, requiredOnly: false });
  if (answer && typeof answer === 'object' && 'success' in answer) (answer as Record<string, unknown>).success = true;
  return { status: response.status, body: answer };
}

export function runAction(rt: Runtime, op: ContractOperation, req: RequestInfo): Reply {
  let body: Record<string, unknown> | undefined;
  const hook = HOOKS[op.operationId];
  // The session hooks check the ids they use with their own messages; other commands check them here.
  const ctx: ActionContext = {
    rt,
    op,
    req,
    body: () => {
      if (body === undefined) {
        const valid = validBody(op, req.body);
        if (!hook) checkReferencedIds(ctx, valid);
        body = valid;
      }
      return body;
    },
  };
  return (hook ?? EFFECTS[op.operationId] ?? genericAction)(ctx);
}

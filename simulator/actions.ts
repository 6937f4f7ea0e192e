/**
 * Action endpoints (`/public-api/actions/...`). Each defined action is routed from the contract;
 * the few with behaviour (starting and stopping sessions, availability) have a hook keyed by
 * operationId, the rest get a generic answer: path ids checked, body validated, the declared
 * success status with a body fabricated from the declared schema.
 */
import type { ContractOperation } from '../src/definitions/contract-model.js';
import { fabricate, fabricateRecord } from './fabricate.js';
import { sessionCosts, whFromKwh } from './hooks.js';
import { HttpError, notFound, unprocessable, type Reply } from './http.js';
import { pathParam, validBody, type RequestInfo, type Runtime } from './handlers.js';
import type { Row } from './store.js';
import type { SimRecord } from './types.js';

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

function genericAction(ctx: ActionContext): Reply {
  for (const p of ctx.op.pathParams) {
    const owner = ctx.rt.model.byIdParam.get(p.name);
    if (owner) need(ctx, owner.name, p.name);
    else pathParam(ctx.op, ctx.req, p.name);
  }
  ctx.body();
  const response = ctx.op.responses[0];
  if (!response?.schema) return { status: response?.status ?? 202 };
  const body = fabricate(response.schema, { rng: ctx.rt.rng, epochMs: ctx.req.now.getTime(), pOptional: 1, pNull: 0, requiredOnly: false });
  if (body && typeof body === 'object' && 'success' in body) (body as Record<string, unknown>).success = true;
  return { status: response.status, body };
}

export function runAction(rt: Runtime, op: ContractOperation, req: RequestInfo): Reply {
  let body: Record<string, unknown> | undefined;
  const ctx: ActionContext = { rt, op, req, body: () => (body ??= validBody(op, req.body)) };
  return (HOOKS[op.operationId] ?? genericAction)(ctx);
}

/**
 * Commands (action mutations) against the simulator. First the effects later reads show, each checked
 * with a follow-up query against what the simulator holds: balances, statuses, circuits and their
 * charge points, views written by PUT/POST (energy mix, price periods, contact and invoice details,
 * configuration), vouchers, invoices, reservations. Then every command generically: sent with a valid
 * input made from the contract (test/support/write-inputs.ts) it is accepted; sent with an input the
 * contract refuses it answers userErrors pointing into `input` and changes nothing.
 *
 * Each test stands alone: the records whose change it checks it creates itself (through the graph),
 * or it picks records no other test changes.
 */
import type { GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/server.js';
import { startStack, type Stack } from '../support/stack.js';
import {
  commandArgs,
  firstIdFor,
  invalidInput,
  inputArg,
  mutationPlans,
  mutationText,
  operationOf,
  storeSnapshot,
  validInput,
  type MutationPlan,
} from '../support/write-inputs.js';

const schema: GraphQLSchema = buildSchema();
const allPlans = mutationPlans(schema);
const commands = allPlans.filter((p) => p.kind === 'action').sort((a, b) => a.field.name.localeCompare(b.field.name));
const plan = (name: string): MutationPlan => {
  const found = allPlans.find((p) => p.field.name === name);
  if (!found) throw new Error(`No mutation ${name}`);
  return found;
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const store = () => stack.sim.store;

async function query(text: string, variables?: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await stack.gql(text, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

/** Runs a mutation by name with these arguments; returns its payload (selection: `select`). */
async function run(name: string, variables: Record<string, unknown>, select = 'accepted outcome userErrors { field message code }'): Promise<Record<string, any>> {
  const data = await query(mutationText(plan(name), variables, select), variables);
  return data[name] as Record<string, any>;
}

/** Runs a command that must be accepted; returns its payload. */
async function accepted(name: string, variables: Record<string, unknown>, select = ''): Promise<Record<string, any>> {
  const payload = await run(name, variables, `accepted outcome userErrors { field message code } ${select}`);
  expect(payload.userErrors, `${name}: ${JSON.stringify(payload.userErrors)}`).toEqual([]);
  expect(payload.accepted).toBe(true);
  return payload;
}

/** A record of `type` of the test's own, created through the graph with a valid generic input (plus `input`). */
async function created(type: string, input: Record<string, unknown> = {}): Promise<string> {
  const create = plan(`create${type}`);
  const variables: Record<string, unknown> = { input: { ...(validInput(create, stack.sim) as Record<string, unknown>), ...input } };
  for (const arg of create.field.args) if (arg.name !== 'input') variables[arg.name] = firstIdFor(stack.sim, arg.name);
  const single = type.replace(/^./, (c) => c.toLowerCase());
  const payload = (await query(mutationText(create, variables, `${single} { id } userErrors { field message }`), variables))[`create${type}`];
  expect(payload.userErrors).toEqual([]);
  return String(payload[single].id);
}

/** A user of the test's own. */
const ownUser = () => created('User');

/** A charge point of the test's own with one EVSE (network id "1"). */
async function ownChargePointWithEvse(): Promise<{ chargePointId: string; evseId: string }> {
  const chargePointId = await created('ChargePoint', { status: 'ENABLED' });
  const evseId = await created('Evse', { chargePointId, networkId: '1', status: 'ENABLED' });
  return { chargePointId, evseId };
}

describe('users', () => {
  it('addUserBalance grows the balance by the amount', async () => {
    const userId = await ownUser();
    const before = (await query(`{ user(id: "${userId}") { balance } }`)).user.balance as number;
    expect(before).toBe(0);
    await accepted('addUserBalance', { userId, input: { amount: 12.5, reason: 'Goodwill' } });
    expect((await query(`{ user(id: "${userId}") { balance } }`)).user).toEqual({ balance: 12.5 });
    await accepted('addUserBalance', { userId, input: { amount: -2.25, reason: 'Correction' } });
    expect((await query(`{ user(id: "${userId}") { balance } }`)).user).toEqual({ balance: 10.25 });
    expect(store().get('User', userId)!.balance).toBe(10.25);
  });

  it('changeUserStatus disables and enables the user', async () => {
    const userId = await ownUser();
    await accepted('changeUserStatus', { userId, input: { status: 'DISABLED', reason: 'Fraud check' } });
    expect((await query(`{ user(id: "${userId}") { status } }`)).user).toEqual({ status: 'DISABLED' });
    await accepted('changeUserStatus', { userId, input: { status: 'ENABLED', reason: 'Cleared' } });
    expect((await query(`{ user(id: "${userId}") { status } }`)).user).toEqual({ status: 'ENABLED' });
  });

  it('redeemUserVoucher marks the voucher redeemed by the user and credits its amount; a second redeem is refused', async () => {
    const userId = await ownUser();
    const voucherId = await created('Voucher');
    const voucher = store().get('Voucher', voucherId)!;
    const credited = Math.round((voucher.amount as number) * 100) / 100;
    expect(credited).toBeGreaterThan(0);
    await accepted('redeemUserVoucher', { userId, input: { code: voucher.code } });
    const data = await query(`{ voucher(id: "${voucherId}") { redeemedAt redeemedByUser { id } } user(id: "${userId}") { balance vouchers(first: 10) { nodes { id } } } }`);
    expect(data.voucher.redeemedAt).toEqual(expect.any(String));
    expect(data.voucher.redeemedByUser).toEqual({ id: userId });
    expect(data.user).toEqual({ balance: credited, vouchers: { nodes: [{ id: voucherId }] } });
    const again = await run('redeemUserVoucher', { userId, input: { code: voucher.code } });
    expect(again).toMatchObject({ accepted: false, userErrors: [{ field: ['input', 'code'], code: 'INVALID' }] });
    expect((await query(`{ user(id: "${userId}") { balance } }`)).user.balance).toBe(credited);
  });

  it('activateUserSubscription subscribes the user to the plan; cancelUserSubscription ends it', async () => {
    const userId = await ownUser();
    const planId = await created('SubscriptionPlan');
    await accepted('activateUserSubscription', { userId, input: { planId } });
    const subscriptionId = (await query(`{ user(id: "${userId}") { subscriptionId } }`)).user.subscriptionId as string;
    expect(subscriptionId).not.toBeNull();
    expect(store().get('UserSubscription', subscriptionId)).toMatchObject({ planId: Number(planId), userId: Number(userId), status: 'active' });
    await accepted('cancelUserSubscription', { userId, input: { reason: 'Moving away' } });
    expect((await query(`{ user(id: "${userId}") { subscriptionId } }`)).user).toEqual({ subscriptionId: null });
    expect(store().get('UserSubscription', subscriptionId)!.status).toBe('canceled');
  });

  it('clearUserSubscriptionAmountDue sets the amount due to 0', async () => {
    // The last user owing something: the generic test of the command clears the first user's.
    const owing = store().list('User').filter((u) => typeof u.amountDue === 'number' && u.amountDue > 0);
    const userId = String(owing[owing.length - 1]!.id);
    expect(owing.length).toBeGreaterThan(1);
    await accepted('clearUserSubscriptionAmountDue', { userId });
    expect((await query(`{ user(id: "${userId}") { amountDue } }`)).user).toEqual({ amountDue: 0 });
  });

  it('setUserInvoiceDetails: the user reads the invoice details written', async () => {
    const userId = await ownUser();
    await accepted('setUserInvoiceDetails', { userId, input: { requireInvoice: true, invoiceType: 'COMPANY', companyName: 'Volt Ltd', companyTaxId: 'BG123' } });
    const data = await query(`{ user(id: "${userId}") { invoiceDetails { requireInvoice invoiceType companyName companyTaxId } } }`);
    expect(data.user.invoiceDetails).toEqual({ requireInvoice: true, invoiceType: 'COMPANY', companyName: 'Volt Ltd', companyTaxId: 'BG123' });
  });
});

describe('circuits', () => {
  const circuitQuery = (id: string) =>
    `{ circuit(id: "${id}") { chargePoints(first: 50) { nodes { id } } chargePointPriorities(first: 50) { nodes { id priority evses { id priority } } } } }`;

  it('attachChargePointToCircuit lists the charge point on the circuit; detachChargePointFromCircuit removes it', async () => {
    const circuitId = await created('Circuit');
    const { chargePointId, evseId } = await ownChargePointWithEvse();
    expect((await query(circuitQuery(circuitId))).circuit).toEqual({ chargePoints: { nodes: [] }, chargePointPriorities: { nodes: [] } });
    await accepted('attachChargePointToCircuit', { circuitId, input: { chargePointId, priority: 3 } });
    expect((await query(circuitQuery(circuitId))).circuit).toEqual({
      chargePoints: { nodes: [{ id: chargePointId }] },
      chargePointPriorities: { nodes: [{ id: chargePointId, priority: 3, evses: [{ id: evseId, priority: 3 }] }] },
    });
    await accepted('detachChargePointFromCircuit', { circuitId, chargePointId });
    expect((await query(circuitQuery(circuitId))).circuit).toEqual({ chargePoints: { nodes: [] }, chargePointPriorities: { nodes: [] } });
    // Detaching what is not attached is refused.
    const res = await stack.gql(mutationText(plan('detachChargePointFromCircuit'), { circuitId, chargePointId }, 'accepted'), { circuitId, chargePointId });
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('setCircuitChargePointPriority, setCircuitEvsePriority and setCircuitSocPriorities: the circuit reads the priorities', async () => {
    const circuitId = await created('Circuit');
    const { chargePointId, evseId } = await ownChargePointWithEvse();
    await accepted('attachChargePointToCircuit', { circuitId, input: { chargePointId } });
    await accepted('setCircuitChargePointPriority', { circuitId, chargePointId, input: { priority: 5 } });
    await accepted('setCircuitEvsePriority', { circuitId, chargePointId, evseId, input: { priority: 8 } });
    await accepted('setCircuitSocPriorities', { circuitId, input: { upperThresholdPercent: 80, highSoCPriority: 1, lowerThresholdPercent: 20, lowSoCPriority: 9 } });
    const data = await query(`{ circuit(id: "${circuitId}") { chargePointPriorities(first: 5) { nodes { id priority evses { id priority } } } socPriorities { upperThresholdPercent highSoCPriority lowerThresholdPercent lowSoCPriority } } }`);
    expect(data.circuit).toEqual({
      chargePointPriorities: { nodes: [{ id: chargePointId, priority: 5, evses: [{ id: evseId, priority: 8 }] }] },
      socPriorities: { upperThresholdPercent: 80, highSoCPriority: 1, lowerThresholdPercent: 20, lowSoCPriority: 9 },
    });
  });
});

describe('charge points', () => {
  it('changeChargePointOwner: the charge point reads its new owner', async () => {
    const chargePointId = await created('ChargePoint');
    const userId = await ownUser();
    await accepted('changeChargePointOwner', { chargePointId, input: { userId } });
    expect((await query(`{ chargePoint(id: "${chargePointId}") { owner { id } } }`)).chargePoint).toEqual({ owner: { id: userId } });
    await accepted('changeChargePointOwner', { chargePointId, input: { userId: null } });
    expect((await query(`{ chargePoint(id: "${chargePointId}") { owner { id } } }`)).chargePoint).toEqual({ owner: null });
  });

  it('changeChargePointSharingCode and setChargePointSecurityProfile: the charge point reads them', async () => {
    const chargePointId = await created('ChargePoint');
    await accepted('changeChargePointSharingCode', { chargePointId, input: { sharingCode: 'SHARE-42' } });
    await accepted('setChargePointSecurityProfile', { chargePointId, input: { setSecurityProfile: 'VALUE_2', reason: 'TLS rollout' } });
    const data = await query(`{ chargePoint(id: "${chargePointId}") { sharingCode security { desiredProfile desiredProfileStatus } } }`);
    expect(data.chargePoint).toEqual({ sharingCode: 'SHARE-42', security: { desiredProfile: 2, desiredProfileStatus: 'PENDING' } });
  });

  it('setChargePointConfiguration and updateChargePointConfiguration: the configuration list and the key read the value', async () => {
    const chargePointId = await created('ChargePoint');
    await accepted('setChargePointConfiguration', { chargePointId, input: { name: 'HeartbeatInterval', value: '300' } });
    const read = async () =>
      (await query(`{ chargePoint(id: "${chargePointId}") { configurations { key { name value } } configuration(key: "HeartbeatInterval") { key { name value } } } }`)).chargePoint;
    let data = await read();
    expect(data.configurations.filter((c: any) => c.key.name === 'HeartbeatInterval')).toEqual([{ key: { name: 'HeartbeatInterval', value: '300' } }]);
    expect(data.configuration).toEqual({ key: { name: 'HeartbeatInterval', value: '300' } });
    await accepted('updateChargePointConfiguration', { chargePointId, key: 'HeartbeatInterval', input: { value: '600' } });
    data = await read();
    expect(data.configurations.filter((c: any) => c.key.name === 'HeartbeatInterval')).toEqual([{ key: { name: 'HeartbeatInterval', value: '600' } }]);
    expect(data.configuration).toEqual({ key: { name: 'HeartbeatInterval', value: '600' } });
  });

  it('setChargePointSharedPartners: the charge point lists exactly those partners', async () => {
    const chargePointId = await created('ChargePoint');
    const partners = [await created('Partner'), await created('Partner')];
    await accepted('setChargePointSharedPartners', { chargePointId, input: { partnerIds: partners } });
    const data = await query(`{ chargePoint(id: "${chargePointId}") { sharedPartners(first: 10) { nodes { id } } } }`);
    expect(data.chargePoint.sharedPartners.nodes).toEqual(partners.map((id) => ({ id })));
    await accepted('setChargePointSharedPartners', { chargePointId, input: { partnerIds: [partners[1]] } });
    expect((await query(`{ chargePoint(id: "${chargePointId}") { sharedPartners(first: 10) { nodes { id } } } }`)).chargePoint.sharedPartners.nodes).toEqual([{ id: partners[1] }]);
  });

  it('setChargePointSmartChargingPreferences: the charge point reads the preferences', async () => {
    const chargePointId = await created('ChargePoint');
    const input = validInput(plan('setChargePointSmartChargingPreferences'), stack.sim) as Record<string, unknown>;
    await accepted('setChargePointSmartChargingPreferences', { chargePointId, input: { ...input, enabled: false } });
    const data = await query(`{ chargePoint(id: "${chargePointId}") { smartChargingPreferences { enabled type } } }`);
    expect(data.chargePoint.smartChargingPreferences).toEqual({ enabled: false, type: input.type });
  });

  it('createChargePointEvse, updateChargePointEvse, deleteChargePointEvse: the charge point lists its EVSEs', async () => {
    const chargePointId = await created('ChargePoint');
    const evses = async () => (await query(`{ chargePoint(id: "${chargePointId}") { evses { id label status } } }`)).chargePoint.evses as { id: string }[];
    expect(await evses()).toEqual([]);
    const payload = await accepted('createChargePointEvse', {
      chargePointId,
      input: { physicalReference: 'A', currentType: 'AC', networkId: '1', status: 'ENABLED', label: 'Left' },
    });
    expect(payload.outcome).toBe('DONE');
    const [evse] = await evses();
    expect(evse).toEqual({ id: expect.any(String), label: 'Left', status: 'ENABLED' });
    await accepted('updateChargePointEvse', { chargePointId, evseId: evse!.id, input: { label: 'Right', status: 'DISABLED' } });
    expect(await evses()).toEqual([{ id: evse!.id, label: 'Right', status: 'DISABLED' }]);
    await accepted('deleteChargePointEvse', { chargePointId, evseId: evse!.id });
    expect(await evses()).toEqual([]);
    expect((await query(`{ evse(id: "${evse!.id}") { id } }`)).evse).toBeNull();
  });

  it('moveChargePointEvsesToSatellite: the EVSEs belong to the satellite afterwards', async () => {
    const { chargePointId, evseId } = await ownChargePointWithEvse();
    const satelliteChargePointId = await created('ChargePoint');
    await accepted('moveChargePointEvsesToSatellite', { chargePointId, input: { satelliteChargePointId, evseIds: [evseId] } });
    const data = await query(`{ main: chargePoint(id: "${chargePointId}") { evses { id } } satellite: chargePoint(id: "${satelliteChargePointId}") { evses { id } } }`);
    expect(data).toEqual({ main: { evses: [] }, satellite: { evses: [{ id: evseId }] } });
    // An EVSE that is not the charge point's is refused.
    const refused = await run('moveChargePointEvsesToSatellite', { chargePointId, input: { satelliteChargePointId, evseIds: [evseId] } });
    expect(refused).toMatchObject({ accepted: false, userErrors: [{ field: ['input', 'evseIds', '0'], code: 'INVALID' }] });
  });

  it('reserveEvse creates an active reservation the payload and the user show; cancelReservation cancels it', async () => {
    const { chargePointId, evseId } = await ownChargePointWithEvse();
    const userId = await ownUser();
    const payload = await accepted('reserveEvse', { chargePointId, evseNetworkId: '1', input: { userId } }, 'reservation { id status evseId userId }');
    const reservation = payload.reservation as { id: string };
    expect(reservation).toEqual({ id: expect.any(String), status: 'ACTIVE', evseId, userId });
    expect((await query(`{ user(id: "${userId}") { reservations(first: 5) { nodes { id } } } }`)).user.reservations.nodes).toEqual([{ id: reservation.id }]);
    await accepted('cancelReservation', { reservationId: reservation.id, input: { reason: 'Plans changed' } });
    const data = await query(`{ reservation(id: "${reservation.id}") { status canceledAt } }`);
    expect(data.reservation).toEqual({ status: 'CANCELED', canceledAt: expect.any(String) });
  });

  it('assignTariffGroupToEvses sets the tariff group of the EVSEs the filters select, and only those', async () => {
    const a = await ownChargePointWithEvse();
    const b = await ownChargePointWithEvse();
    const tariffGroupId = await created('TariffGroup');
    const untouched = String(store().get('Evse', b.evseId)!.tariffGroupId);
    expect(untouched).not.toBe(tariffGroupId);
    await accepted('assignTariffGroupToEvses', { input: { tariffGroupId, filters: { evseIds: [a.evseId] } } });
    const data = await query(`{ a: evse(id: "${a.evseId}") { tariffGroupId } b: evse(id: "${b.evseId}") { tariffGroupId } }`);
    expect(data).toEqual({ a: { tariffGroupId }, b: { tariffGroupId: untouched } });
  });
});

describe('other records', () => {
  it('changeInstallerJobStatus and assignInstallerJobChargePoints: the installer job reads them', async () => {
    const installerJobId = await created('InstallerJob');
    const chargePointId = await created('ChargePoint');
    await accepted('changeInstallerJobStatus', { installerJobId, input: { status: 'COMPLETED', outcomeDetails: 'Installed and tested' } });
    await accepted('assignInstallerJobChargePoints', { installerJobId, input: { chargePointIds: [chargePointId] } });
    const data = await query(`{ installerJob(id: "${installerJobId}") { status outcomeDetails chargePoints { id } } }`);
    expect(data.installerJob).toEqual({ status: 'COMPLETED', outcomeDetails: 'Installed and tested', chargePoints: [{ id: chargePointId }] });
  });

  it('changeFlexibilityAssetStatus: the asset reads the status and its end', async () => {
    const flexibilityAssetId = await created('FlexibilityAsset');
    const payload = await accepted('changeFlexibilityAssetStatus', { flexibilityAssetId, input: { status: 'DISABLED', endsAt: '2026-12-24T18:00:00Z' } });
    expect(payload.outcome).toBe('DONE');
    const data = await query(`{ flexibilityAsset(id: "${flexibilityAssetId}") { status endsAt } }`);
    expect(data.flexibilityAsset).toEqual({ status: 'DISABLED', endsAt: '2026-12-24T18:00:00Z' });
  });

  it('updateParkingSpaceOccupancyStatus: the parking space reads its occupancy', async () => {
    const parkingSpaceId = await created('ParkingSpace');
    await accepted('updateParkingSpaceOccupancyStatus', { parkingSpaceId, input: { status: 'OCCUPIED' } });
    expect((await query(`{ parkingSpace(id: "${parkingSpaceId}") { occupancyStatus status } }`)).parkingSpace).toEqual({
      occupancyStatus: 'OCCUPIED',
      status: store().get('ParkingSpace', parkingSpaceId)!.status === 'enabled' ? 'ENABLED' : 'DISABLED',
    });
  });

  it('replaceSubscriptionPlan: the plan names its replacement and when', async () => {
    const subscriptionPlanId = await created('SubscriptionPlan');
    const planId = await created('SubscriptionPlan');
    await accepted('replaceSubscriptionPlan', { subscriptionPlanId, input: { planId, replaceAt: '2027-01-01T00:00:00Z', reason: 'New pricing' } });
    const data = await query(`{ subscriptionPlan(id: "${subscriptionPlanId}") { replacementPlanId replacedAt } }`);
    expect(data.subscriptionPlan).toEqual({ replacementPlanId: planId, replacedAt: '2027-01-01T00:00:00Z' });
    const refused = await run('replaceSubscriptionPlan', { subscriptionPlanId, input: { planId: '99999999', reason: 'x' } });
    expect(refused).toMatchObject({ accepted: false, userErrors: [{ field: ['input', 'planId'], code: 'INVALID' }] });
  });

  it('setTariffDisplayInformation: the tariff reads what it displays', async () => {
    const tariffId = await created('Tariff');
    const display = { defaultPriceInformation: '0.45 EUR/kWh', defaultPriceInformationOffline: 'Ask staff', priceInformation: 'Cheap at night', totalCostInformation: 'Incl. VAT' };
    await accepted('setTariffDisplayInformation', { tariffId, input: display });
    expect((await query(`{ tariff(id: "${tariffId}") { display { defaultPriceInformation defaultPriceInformationOffline priceInformation totalCostInformation } } }`)).tariff).toEqual({ display });
  });

  it('issueTransactionInvoice: the transaction names the invoice issued; resendTransactionInvoice is accepted', async () => {
    const transactionId = await created('Transaction');
    const input = validInput(plan('issueTransactionInvoice'), stack.sim) as Record<string, unknown>;
    await accepted('issueTransactionInvoice', { transactionId, input: { ...input, email: 'billing@example.com' } });
    const data = await query(`{ transaction(id: "${transactionId}") { invoice { id number } } }`);
    const invoice = store().get('Invoice', data.transaction.invoice.id as string)!;
    expect(data.transaction.invoice).toEqual({ id: String(invoice.id), number: invoice.number });
    expect(store().get('Transaction', transactionId)!.invoiceId).toBe(invoice.id);
    await accepted('resendTransactionInvoice', { transactionId });
  });

  it('updateTransactionPaymentReference: the transaction reads the reference', async () => {
    const transactionId = await created('Transaction');
    await accepted('updateTransactionPaymentReference', { transactionId, input: { ref: 'PAY-2026-0042' } });
    expect((await query(`{ transaction(id: "${transactionId}") { ref } }`)).transaction).toEqual({ ref: 'PAY-2026-0042' });
  });

  it('assignUserToSession: the session reads its user', async () => {
    // The oldest session: the generic test of the command uses the newest (the listing's first).
    const sessions = store().list('Session');
    const sessionId = String(sessions[sessions.length - 1]!.id);
    const userId = await ownUser();
    await accepted('assignUserToSession', { sessionId, input: { userId } });
    expect((await query(`{ session(id: "${sessionId}") { user { id } } }`)).session).toEqual({ user: { id: userId } });
  });

  it('createConfigurationTemplateVariable, updateConfigurationTemplateVariable, deleteConfigurationTemplateVariable: the template lists its variables', async () => {
    const configurationTemplateId = await created('ConfigurationTemplate');
    const variables = async () =>
      (await query(`{ configurationTemplate(id: "${configurationTemplateId}") { variables(first: 100) { nodes { id keyName value } } } }`)).configurationTemplate.variables.nodes as {
        id: string;
        keyName: string | null;
        value: string;
      }[];
    const before = await variables();
    await accepted('createConfigurationTemplateVariable', { configurationTemplateId, input: { keyName: 'MeterValueSampleInterval', value: '60' } });
    const added = (await variables()).filter((v) => !before.some((b) => b.id === v.id));
    expect(added).toEqual([{ id: expect.any(String), keyName: 'MeterValueSampleInterval', value: '60' }]);
    await accepted('updateConfigurationTemplateVariable', { configurationTemplateId, variable: added[0]!.id, input: { value: '30' } });
    expect((await variables()).find((v) => v.id === added[0]!.id)).toEqual({ ...added[0], value: '30' });
    await accepted('deleteConfigurationTemplateVariable', { configurationTemplateId, variable: added[0]!.id });
    expect(await variables()).toEqual(before);
  });

  it('addConfigurationTemplateVariables adds every variable of the list', async () => {
    const configurationTemplateId = await created('ConfigurationTemplate');
    const read = async () =>
      (await query(`{ configurationTemplate(id: "${configurationTemplateId}") { variables(first: 100) { nodes { keyName value } } } }`)).configurationTemplate.variables.nodes as unknown[];
    const before = await read();
    await accepted('addConfigurationTemplateVariables', {
      configurationTemplateId,
      input: [
        { keyName: 'HeartbeatInterval', value: '120' },
        { keyName: 'ConnectionTimeOut', value: '45' },
      ],
    });
    expect(await read()).toEqual([...before, { keyName: 'HeartbeatInterval', value: '120' }, { keyName: 'ConnectionTimeOut', value: '45' }]);
  });
});

describe('settings written with PUT (later reads of the views show them)', () => {
  it('setElectricityRateEnergyMix: the rate reads the mix; what the PUT leaves out is 0 again', async () => {
    const electricityRateId = await created('ElectricityRate');
    await accepted('setElectricityRateEnergyMix', { electricityRateId, input: { solar: 40, wind: 35, hydro: 25 } });
    const read = async () => (await query(`{ electricityRate(id: "${electricityRateId}") { energyMix { solar wind hydro coal } } }`)).electricityRate.energyMix;
    expect(await read()).toEqual({ solar: 40, wind: 35, hydro: 25, coal: 0 });
    await accepted('setElectricityRateEnergyMix', { electricityRateId, input: { coal: 100 } });
    expect(await read()).toEqual({ solar: 0, wind: 0, hydro: 0, coal: 100 });
  });

  it('setElectricityRateDatePricePeriod / deleteElectricityRateDatePricePeriod: the date reads its periods, the lists hold it, and then not', async () => {
    const electricityRateId = await created('ElectricityRate');
    const date = '2026-12-24';
    const periods = [
      { startsAt: '00:00', endsAt: '12:00', price: 0.1 },
      { startsAt: '12:00', endsAt: '24:00', price: 0.3 },
    ];
    const payload = await accepted('setElectricityRateDatePricePeriod', { electricityRateId, date, input: { periods } });
    expect(payload.outcome).toBe('DONE');
    const read = async () =>
      (
        await query(
          `{ electricityRate(id: "${electricityRateId}") { datePricePeriod(date: "${date}") { date periods { startsAt endsAt price } } datePricePeriods { date periods { price } } pricePeriods { date periods { price } } } }`,
        )
      ).electricityRate;
    let data = await read();
    expect(data.datePricePeriod).toEqual({ date, periods });
    expect(data.datePricePeriods.filter((p: any) => p.date === date)).toEqual([{ date, periods: [{ price: 0.1 }, { price: 0.3 }] }]);
    expect(data.pricePeriods.filter((p: any) => p.date === date)).toEqual([{ date, periods: [{ price: 0.1 }, { price: 0.3 }] }]);
    await accepted('deleteElectricityRateDatePricePeriod', { electricityRateId, date });
    data = await read();
    expect(data.datePricePeriod).toBeNull();
    expect(data.datePricePeriods.filter((p: any) => p.date === date)).toEqual([]);
    expect(data.pricePeriods.filter((p: any) => p.date === date)).toEqual([]);
  });

  it('setElectricityRateWeekDayPricePeriod / deleteElectricityRateWeekDayPricePeriod: the week day reads its periods, and then not', async () => {
    const electricityRateId = await created('ElectricityRate');
    const periods = [{ startsAt: '00:00', endsAt: '24:00', price: 0.22 }];
    await accepted('setElectricityRateWeekDayPricePeriod', { electricityRateId, weekDay: 'SUN', input: { periods } });
    const read = async () =>
      (await query(`{ electricityRate(id: "${electricityRateId}") { weekDayPricePeriod(weekDay: "sun") { weekDay periods { startsAt endsAt price } } weekDayPricePeriods { weekDay periods { price } } } }`))
        .electricityRate;
    let data = await read();
    expect(data.weekDayPricePeriod).toEqual({ weekDay: 'SUN', periods });
    expect(data.weekDayPricePeriods.filter((p: any) => p.weekDay === 'SUN')).toEqual([{ weekDay: 'SUN', periods: [{ price: 0.22 }] }]);
    await accepted('deleteElectricityRateWeekDayPricePeriod', { electricityRateId, weekDay: 'SUN' });
    data = await read();
    expect(data.weekDayPricePeriod).toBeNull();
    expect(data.weekDayPricePeriods.filter((p: any) => p.weekDay === 'SUN')).toEqual([]);
  });

  it('setContactDetails / deleteContactDetails: the tenant reads its contact details, and then none', async () => {
    await accepted('setContactDetails', { input: { email: 'ops@example.com', phone: '+359888000111' } });
    expect((await query('{ contactDetails { email phone } }')).contactDetails).toEqual({ email: 'ops@example.com', phone: '+359888000111' });
    await accepted('setContactDetails', { input: { email: 'desk@example.com' } });
    expect((await query('{ contactDetails { email phone } }')).contactDetails).toEqual({ email: 'desk@example.com', phone: null });
    await accepted('deleteContactDetails', {});
    expect((await query('{ contactDetails { email } }')).contactDetails).toBeNull();
    await accepted('setContactDetails', { input: { email: 'back@example.com' } });
    expect((await query('{ contactDetails { email } }')).contactDetails).toEqual({ email: 'back@example.com' });
  });

  it('createConsent: the consents listing holds it', async () => {
    const userId = await ownUser();
    const consents = async () => (await query(`{ consents(first: 100) { nodes { userId termVersionId status } } }`)).consents.nodes as unknown[];
    const before = await consents();
    await accepted('createConsent', { input: { userId, termVersionId: '7', status: 'AGREED' } });
    expect(await consents()).toEqual([...before, { userId, termVersionId: '7', status: 'AGREED' }]);
  });
});

/**
 * Commands that need records in a particular state to be accepted: the arguments (and input fields)
 * that put them there, on top of the generic ones.
 */
const ARRANGE: Record<string, () => Promise<Record<string, unknown>> | Record<string, unknown>> = {
  stopChargingSession: () => {
    const session = store().list('Session').find((s) => s.status === 'active')!;
    return { chargePointId: String(session.chargePointId), sessionId: session.id };
  },
  detachChargePointFromCircuit: attachedPair,
  setCircuitChargePointPriority: attachedPair,
  setCircuitEvsePriority: async () => {
    const { chargePointId, evseId } = await ownChargePointWithEvse();
    const circuitId = String(store().list('Circuit')[0]!.id);
    await accepted('attachChargePointToCircuit', { circuitId, input: { chargePointId } });
    return { circuitId, chargePointId, evseId };
  },
  redeemUserVoucher: async () => ({ input: { code: store().get('Voucher', await created('Voucher'))!.code } }),
  moveChargePointEvsesToSatellite: async () => {
    const { chargePointId, evseId } = await ownChargePointWithEvse();
    return { chargePointId, input: { satelliteChargePointId: await created('ChargePoint'), evseIds: [evseId] } };
  },
  deleteChargePointEvse: ownChargePointWithEvse,
  updateConfigurationTemplateVariable: ownVariable,
  deleteConfigurationTemplateVariable: ownVariable,
  updateChargePointEvse: ownChargePointWithEvse,
};

/** A configuration template of the test's own with one variable. */
async function ownVariable(): Promise<Record<string, unknown>> {
  const configurationTemplateId = await created('ConfigurationTemplate');
  const payload = await accepted('createConfigurationTemplateVariable', { configurationTemplateId, input: { keyName: 'HeartbeatInterval', value: '60' } });
  expect(payload.outcome).toBe('DONE');
  const nodes = (await query(`{ configurationTemplate(id: "${configurationTemplateId}") { variables(first: 100) { nodes { id } } } }`)).configurationTemplate.variables.nodes as { id: string }[];
  return { configurationTemplateId, variable: nodes[nodes.length - 1]!.id };
}

/** A circuit and a charge point attached to it. */
async function attachedPair(): Promise<Record<string, unknown>> {
  const chargePointId = await created('ChargePoint');
  const circuitId = String(store().list('Circuit')[0]!.id);
  await accepted('attachChargePointToCircuit', { circuitId, input: { chargePointId } });
  return { circuitId, chargePointId };
}

/**
 * Commands with a body whose refusal the generic input cannot provoke: every field the contract
 * constrains, GraphQL constrains too (non-null, enum, ID, DateTime), so nothing AMPECO would refuse
 * gets through.
 */
const NO_REFUSAL: Record<string, string> = {
  addConfigurationTemplateVariables: 'a list of variables of two shapes (oneOf) whose fields GraphQL types; the generic input breaks top-level fields only',
  cancelReservation: 'its fields (force, reason) are optional and unbounded',
  changeChargePointAvailability: 'the required type is a non-null enum in GraphQL too; the EVSE network id an Int',
  changeChargePointSharingCode: 'its one field, sharingCode, is an optional string without bounds',
  changeFlexibilityAssetStatus: 'the required status is a non-null enum in GraphQL too; endsAt a DateTime',
  changeInstallerJobStatus: 'the required status is a non-null enum in GraphQL too; the details an unbounded string',
  checkLocationBookingAvailability: 'both fields are non-null DateTimes in GraphQL too',
  clearChargePointChargingProfile: 'every field is optional and unbounded',
  createFlexibilityAssetActivationRequest: "the periods' required start and end are non-null DateTimes in GraphQL too",
  deleteChargePointCertificate: 'the required certificate type is a non-null enum in GraphQL too',
  installChargePointCertificate: 'the required certificate type is a non-null enum in GraphQL too',
  issueProvisioningCertificateEmaid: 'its one field, paymentMethod, is an optional string without bounds',
  reportElectricityMeterConsumption: 'every field is optional; a DateTime and three Ints without bounds',
  setUserInvoiceDetails: 'every field is optional; enums, nullable strings without bounds',
  stopChargingSession: 'its one field, force, is an optional boolean',
  syncChargePointCertificates: 'its one field is an optional enum',
  syncChargePointConfiguration: 'its one field is an optional list of enum values',
  triggerChargePointMessage: 'the required type is a non-null enum in GraphQL too',
  triggerEvseMessage: 'the required type is a non-null enum in GraphQL too',
  updateChargePointConfiguration: 'its one field, value, is an optional string without bounds',
  updateConfigurationTemplateVariable: "every field is optional and unbounded; evseId and connectorId are the charge point's OCPP numbers, not AMPECO records",
  updateParkingSpaceOccupancyStatus: 'the required status is a non-null enum in GraphQL too',
};

/** The generic arguments and input of a command, with what ARRANGE puts on top. */
async function arranged(command: MutationPlan, input: unknown): Promise<Record<string, unknown>> {
  const variables: Record<string, unknown> = { ...commandArgs(command, stack.sim) };
  if (input !== undefined) variables.input = input;
  const extra = await ARRANGE[command.field.name]?.();
  if (extra) {
    const { input: inputOverride, ...args } = extra as { input?: Record<string, unknown> };
    Object.assign(variables, args);
    if (inputOverride && input !== undefined) variables.input = { ...(variables.input as Record<string, unknown>), ...inputOverride };
  }
  return variables;
}

describe('every command, generically', () => {
  for (const command of commands) {
    const name = command.field.name;
    it(`${name}: sent with a valid input, it is accepted`, async () => {
      const variables = await arranged(command, validInput(command, stack.sim));
      stack.sim.clearLog();
      const payload = await run(name, variables);
      expect(payload.userErrors).toEqual([]);
      expect(payload.accepted).toBe(true);
      // The one call made: its status says the outcome (202 accepted; 204 where 202 is declared too, scheduled; else done).
      const [call, ...more] = stack.sim.log;
      expect(more).toEqual([]);
      const statuses = operationOf(command).responses.map((r) => r.status);
      expect(statuses).toContain(call!.status);
      expect(payload.outcome).toBe(call!.status === 202 ? 'ACCEPTED' : call!.status === 204 && statuses.includes(202) ? 'SCHEDULED' : 'DONE');
    });

    if (!inputArg(command)) continue;
    const how = invalidInput(command, validInput(command, undefined) as Record<string, unknown>)?.how ?? NO_REFUSAL[name];
    it.skipIf(Boolean(NO_REFUSAL[name]))(`${name}: an input the contract refuses (${how ?? 'none found'}) answers userErrors and changes nothing`, async () => {
      const variables = await arranged(command, undefined);
      const refusal = invalidInput(command, validInput(command, stack.sim) as Record<string, unknown>);
      expect(refusal, `an input of ${name} AMPECO refuses (else list it in NO_REFUSAL with a reason)`).toBeDefined();
      const held = storeSnapshot(stack.sim);
      const payload = await run(name, { ...variables, input: refusal!.input });
      expect(payload.accepted).toBe(false);
      expect(payload.outcome).toBeNull();
      expect(payload.userErrors).toContainEqual({ field: refusal!.field, message: expect.any(String), code: 'INVALID' });
      expect(storeSnapshot(stack.sim)).toBe(held);
    });
  }
});

/**
 * The hand-kept layer over AMPECO's contract: only what the contract cannot say. Everything else
 * (which endpoints make up each type, ids, parents, pagination, filters, includes, relations implied
 * by field names) is derived by `scripts/contract/derive.ts`; `npm run generate` reports entries
 * here that no longer match anything in the contract.
 *
 * Endpoints are keyed by their path after `/public-api/`, versions included: a new version of an
 * endpoint is a new key, so an upgrade shows up in the report instead of passing silently.
 */
import { businessDescriptions } from './descriptions/business.js';
import { networkDescriptions } from './descriptions/network.js';
import type { ActionDefinition, RelationDefinition } from './model.js';

/** Type names where the rule (singular PascalCase of the last path segment, prefixed by the parent for sub-resources) reads poorly. */
export const names: Record<string, string> = {
  'resources/locations/v2.0/{location}/charging-zones': 'ChargingZone',
  'resources/charge-points/v2.0/{chargePoint}/evses/{evse}/connectors': 'Connector',
  'resources/partner-settlement-reports/v1.0/{partnerSettlementReport}/records': 'PartnerSettlementRecord',
  'resources/roaming-operators/v2.0/{roamingOperator}/custom-tariff-filters': 'CustomTariffFilter',
  'resources/users/v1.0/{user}/payment-methods': 'PaymentMethod',
  'resources/terms-and-policies/v2.0': 'TermVersion',
  // `Subscription` is GraphQL's root type of subscriptions.
  'resources/subscriptions/v1.0': 'UserSubscription',
  'resources/templates/v1.0': 'ChargePointTemplate',
  'resources/charge-points/v2.0/{chargePoint}/hardware-status-logs': 'HardwareStatusLog',
  'resources/charge-points/v2.0/{chargePoint}/latest-hardware-status-log': 'HardwareStatusLog',
  'resources/charge-points/v2.0/{chargePoint}/network-status-logs': 'NetworkStatusLog',
  'resources/charge-points/v2.0/{chargePoint}/latest-network-status-log': 'NetworkStatusLog',
  'resources/evses/v2.0/{evse}/hardware-status-logs': 'EvseHardwareStatusLog',
  'resources/evses/v2.0/{evse}/latest-hardware-status-log': 'EvseHardwareStatusLog',
  'resources/charge-points/v2.0/{chargePoint}/available-personal-smart-charging-modes': 'PersonalSmartChargingMode',
  'resources/charge-points/v2.0/{chargePoint}/personal-smart-charging-preferences': 'PersonalSmartChargingPreferences',
  // `ChargePointStatus` is the enum of a charge point's own `status`.
  'resources/charge-points/v1.0/{chargePoint}/status': 'ChargePointStatusReport',
  'resources/electricity-rates/v2.0/{electricityRate}/price-periods/date': 'ElectricityRateDatePricePeriod',
  'resources/electricity-rates/v2.0/{electricityRate}/price-periods/date/{date}': 'ElectricityRateDatePricePeriod',
  'resources/electricity-rates/v2.0/{electricityRate}/price-periods/week-day': 'ElectricityRateWeekDayPricePeriod',
  'resources/electricity-rates/v2.0/{electricityRate}/price-periods/week-day/{weekDay}': 'ElectricityRateWeekDayPricePeriod',
  'resources/firmware-versions/v1.0/{firmwareVersion}/attached-models': 'ChargePointModel',
  'resources/circuits/v2.0/{circuit}/soc-priorities': 'CircuitSocPriorities',
  'resources/users/v1.0/{user}/invoice-details': 'UserInvoiceDetails',
  'resources/sessions/v1.0/{session}/consumption-stats': 'SessionConsumptionStats',
  'resources/flexibility-assets/v1.0/{flexibilityAsset}/historical-time-series': 'FlexibilityAssetHistoricalTimeSeries',
};

/** Field names of views where the rule (camelCase of the path segment) reads poorly. By path key. */
export const viewFields: Record<string, string> = {
  'resources/firmware-versions/v1.0/{firmwareVersion}/attached-models': 'models',
  'resources/charge-points/v2.0/{chargePoint}/available-personal-smart-charging-modes': 'availableSmartChargingModes',
  'resources/charge-points/v2.0/{chargePoint}/personal-smart-charging-preferences': 'smartChargingPreferences',
  'resources/electricity-rates/v2.0/{electricityRate}/price-periods/date': 'datePricePeriods',
  'resources/electricity-rates/v2.0/{electricityRate}/price-periods/date/{date}': 'datePricePeriod',
  'resources/electricity-rates/v2.0/{electricityRate}/price-periods/week-day': 'weekDayPricePeriods',
  'resources/electricity-rates/v2.0/{electricityRate}/price-periods/week-day/{weekDay}': 'weekDayPricePeriod',
  'resources/charge-points/v2.0/{chargePoint}/configurations/{key}': 'configuration',
  'resources/templates/v1.0': 'chargePointTemplates',
  'resources/charge-points/v1.0/{chargePoint}/status': 'statusReport',
};

/** Endpoints deliberately not derived, with the reason (each one is also allow-listed by the coverage test). */
export const skipped: Record<string, string> = {};

/**
 * Collections that serve another entity's records under a parent: not types of their own. Their item
 * paths still name that entity inside longer paths (a connector sits under `.../evses/{evse}`).
 */
export const servedBy: Record<string, string> = {
  // The EVSE resource (evses v2.1) holds the same records; `ChargePoint.evses` reads it filtered by charge point.
  'resources/charge-points/v2.0/{chargePoint}/evses': 'Evse',
};

/** The schema file (domain) of each type. A type missing here lands in `other`, and the generator says so. */
export const domains: Record<string, string[]> = {
  charging: [
    'Location', 'ChargingZone', 'ChargePoint', 'Evse', 'Connector', 'Session', 'SessionConsumptionStats', 'Authorization', 'Cdr',
    'Reservation', 'Booking', 'BookingRequest', 'ParkingSpace', 'ChargePointDowntimePeriod', 'EvseDowntimePeriod',
    'DowntimePeriodNotice', 'SecurityEvent', 'ChargePointConfiguration', 'HardwareStatusLog', 'EvseHardwareStatusLog',
    'NetworkStatusLog', 'ChargePointShare', 'ChargePointSharedPartner', 'ChargePointStatusReport',
  ],
  hardware: [
    'ChargePointModel', 'ChargePointVendor', 'FirmwareVersion', 'VendorErrorCode', 'ConfigurationTemplate',
    'ConfigurationTemplateVariable', 'ChargePointTemplate', 'ProvisioningCertificate', 'InstallerJob',
  ],
  energy: [
    'Circuit', 'CircuitChargePointPriority', 'CircuitConsumption', 'CircuitSocPriorities', 'CircuitUnmanagedLoad',
    'CircuitUserPriority', 'ElectricityMeter', 'ElectricityRate', 'ElectricityRateEnergyMix', 'ElectricityRatePricePeriod',
    'ElectricityRateDatePricePeriod', 'ElectricityRateWeekDayPricePeriod', 'Utility', 'FlexibilityAsset',
    'FlexibilityActivationRequest', 'FlexibilityAssetHistoricalTimeSeries', 'FlexibilityAssetTimeSeriesForecast',
    'PersonalSmartChargingMode', 'PersonalSmartChargingPreferences',
  ],
  billing: [
    'Tariff', 'TariffGroup', 'TariffSnapshot', 'Transaction', 'Invoice', 'Receipt', 'Currency', 'CurrencyRate', 'Tax',
    'TaxIdentificationNumber', 'CustomFee', 'SubscriptionPlan', 'UserSubscription', 'TopUpPackage', 'Voucher', 'PaymentTerminal',
    'PaymentMethod', 'UserInvoiceDetails',
  ],
  partners: [
    'Partner', 'PartnerContract', 'PartnerInvite', 'PartnerExpense', 'PartnerRevenue', 'PartnerSettlementReport',
    'PartnerSettlementRecord', 'SubOperator',
  ],
  roaming: ['RoamingConnection', 'RoamingOperator', 'RoamingProvider', 'RoamingTariff', 'CustomTariffFilter'],
  drivers: ['User', 'UserGroup', 'IdTag', 'Consent'],
  operator: ['Settings', 'ContactDetails', 'Faq', 'TermVersion', 'Notification'],
};

/** What one record of each type is, in our words. */
export const typeDescriptions: Record<string, string> = {
  Location: 'A site where charge points are installed, with its address, opening hours and charging zones.',
  ChargingZone: 'A named area of a location (a parking level, a fleet depot) that groups charge points.',
  ChargePoint: 'A charging station: the OCPP-connected unit that hosts one or more EVSEs.',
  Evse: 'An EVSE: one independently controllable charging outlet of a charge point, with its connectors.',
  Connector: 'A physical plug or socket of an EVSE.',
  Session: 'A charging session: energy delivered through one EVSE to one driver, with its cost and payment state.',
  User: 'A registered driver account of the operator.',
  ChargePointModel: 'A charge point hardware model of a vendor, with its manuals and default photo.',
  ChargePointVendor: 'A manufacturer of charge points.',
  EvseHardwareStatusLog: 'One entry of an EVSE\'s hardware status history: a status the EVSE reported over OCPP and when.',
  ...networkDescriptions.types,
  ...businessDescriptions.types,
};
// The descriptions name these types by their REST resource; the graph renames them (see `names`).
for (const [from, to] of [['Subscription', 'UserSubscription'], ['ChargePointStatus', 'ChargePointStatusReport']] as const) {
  typeDescriptions[to] = typeDescriptions[from] ?? '';
  delete typeDescriptions[from];
}

/** Field descriptions of the derived types (the first nine keep theirs in ./descriptions.ts). */
export const typeFieldDescriptions: Record<string, Record<string, string>> = {
  ...networkDescriptions.fields,
  ...businessDescriptions.fields,
  UserSubscription: businessDescriptions.fields.Subscription ?? {},
  ChargePointStatusReport: networkDescriptions.fields.ChargePointStatus ?? {},
};

/**
 * Relations the naming rules cannot find or name well. An entry replaces the derived relation of the
 * same field; `false` drops a derived one.
 */
export const relations: Record<string, (RelationDefinition | { field: string; drop: true; reason: string })[]> = {
  Location: [
    { field: 'chargingZones', target: 'ChargingZone', kind: 'many', include: 'chargingZones', nested: true, shape: 'list', description: 'The zones this location is divided into.' },
    { field: 'chargePoints', target: 'ChargePoint', kind: 'many', filter: 'locationId', description: 'Charge points installed at this location.' },
  ],
  ChargingZone: [
    { field: 'location', target: 'Location', kind: 'one', via: 'locationId', description: 'The location this zone belongs to.' },
    { field: 'chargePoints', target: 'ChargePoint', kind: 'many', filter: 'chargingZoneId', description: 'Charge points assigned to this zone.' },
  ],
  ChargePoint: [
    { field: 'location', target: 'Location', kind: 'one', via: 'locationId', description: 'The location the charge point is installed at.' },
    { field: 'chargingZone', target: 'ChargingZone', kind: 'one', via: 'chargingZoneId', description: 'The charging zone the charge point is assigned to, if any.' },
    { field: 'evses', target: 'Evse', kind: 'many', filter: 'chargePointId', shape: 'list', description: 'The EVSEs (charging outlets) of this charge point.' },
    { field: 'sessions', target: 'Session', kind: 'many', filter: 'chargePointId', description: 'Charging sessions on this charge point, newest first.' },
    { field: 'owner', target: 'User', kind: 'one', via: 'user.id', description: 'The user owning this charge point, for personal (home) chargers.' },
    { field: 'model', target: 'ChargePointModel', kind: 'one', via: 'modelId', description: 'The hardware model of the charge point, when known.' },
  ],
  Evse: [
    { field: 'chargePoint', target: 'ChargePoint', kind: 'one', via: 'chargePointId', description: 'The charge point this EVSE belongs to.' },
    { field: 'connectors', target: 'Connector', kind: 'many', include: 'connectors', nested: true, shape: 'list', description: 'The physical connectors (plugs or sockets) of this EVSE.' },
    { field: 'sessions', target: 'Session', kind: 'many', filter: 'evseId', description: 'Charging sessions on this EVSE, newest first.' },
  ],
  Connector: [
    { field: 'evse', target: 'Evse', kind: 'one', via: 'evseId', description: 'The EVSE this connector belongs to.' },
    { field: 'chargePoint', target: 'ChargePoint', kind: 'one', via: 'chargePointId', description: 'The charge point this connector belongs to.' },
  ],
  Session: [
    { field: 'externalSession', drop: true, reason: '`externalSessionId` is the id a roaming partner gave the session, not an AMPECO session.' },
    { field: 'chargePoint', target: 'ChargePoint', kind: 'one', via: 'chargePointId', description: 'The charge point the session ran on.' },
    { field: 'evse', target: 'Evse', kind: 'one', via: 'evseId', description: 'The EVSE the session ran on.' },
    { field: 'connector', target: 'Connector', kind: 'one', via: 'connectorId', description: 'The connector used, when AMPECO knows it.' },
    { field: 'user', target: 'User', kind: 'one', via: 'userId', description: 'The driver who charged, when the session belongs to a registered user.' },
  ],
  User: [
    { field: 'sessions', target: 'Session', kind: 'many', filter: 'userId', description: "The user's charging sessions, newest first." },
    { field: 'chargePoints', target: 'ChargePoint', kind: 'many', filter: 'userId', description: 'Personal charge points owned by the user.' },
  ],
  ChargePointModel: [
    { field: 'vendor', target: 'ChargePointVendor', kind: 'one', via: 'vendorId', description: 'The vendor that makes this model.' },
    { field: 'chargePoints', target: 'ChargePoint', kind: 'many', filter: 'modelId', description: 'Charge points of this model.' },
  ],
  PartnerSettlementReport: [
    { field: 'records', target: 'PartnerSettlementRecord', kind: 'many', nested: true, shape: 'connection', description: 'The lines of this settlement report: one per session or fee settled with the partner.' },
  ],
  VendorErrorCode: [
    { field: 'vendor', drop: true, reason: "`vendorId` is the vendor's own code string in OCPP error reports, not a ChargePointVendor id." },
  ],
  ChargePointVendor: [
    { field: 'models', target: 'ChargePointModel', kind: 'many', filter: 'vendorId', description: "The vendor's charge point models." },
  ],
};

/** Record fields deliberately left out of the graph, by type, with the reason. */
export const omissions: Record<string, Record<string, string>> = {
  ChargePoint: { 'network.password': "The charge point's OCPP password: a secret, writable but never shown." },
  User: { password: 'A secret: AMPECO may echo it, the graph never shows it.' },
};

/**
 * Id fields whose name does not say their target (`modelId` on a charge point is a ChargePointModel).
 * Keyed by field name; applies to every record holding such a field.
 */
export const referenceAliases: Record<string, string> = {
  modelId: 'ChargePointModel',
  vendorId: 'ChargePointVendor',
  paymentMethodId: 'PaymentMethod',
  notice: 'DowntimePeriodNotice',
};

/** Command mutations whose derived name reads poorly, by operationId. */
export const commandNames: Record<string, string> = {
  evseBulkAssignTariffGroups: 'assignTariffGroupToEvses',
  circuitAttachChargePoint: 'attachChargePointToCircuit',
  circuitDetachChargePoint: 'detachChargePointFromCircuit',
  chargePointSmartChargingUpdate: 'setChargePointSmartCharging',
  personalSmartChargingPreferencesUpdate: 'setChargePointSmartChargingPreferences',
  invoiceDetailsCreateOrUpdate: 'setUserInvoiceDetails',
  updateCustomTariffFilterTariff: 'setCustomTariffFilterPricing',
  userExportAllPrivateData: 'exportUserPrivateData',
  chargePointGetDiagnostics: 'requestChargePointDiagnostics',
  chargePointGetSecurityLog: 'requestChargePointSecurityLog',
  configurationTemplateBulkCreateVariables: 'addConfigurationTemplateVariables',
  chargePointSharedPartnersSync: 'setChargePointSharedPartners',
  circuitSetChargePointEvsePriority: 'setCircuitEvsePriority',
  circuitSetCircuitSocPriority: 'setCircuitSocPriorities',
  reorderRoamingCustomTariffFilters: 'reorderCustomTariffFilters',
  tariffSetDisplayInformation: 'setTariffDisplayInformation',
  chargePointStartChargingSession: 'startChargingSessionByEvseNetworkId',
  chargePointReserve: 'reserveEvse',
  sessionAssignToUser: 'assignUserToSession',
  chargePointGetInstalledCertificateIds: 'syncChargePointCertificates',
};

/** Path arguments of commands whose derived name would mislead, by operationId: parameter -> argument. */
export const commandArgs: Record<string, Record<string, string>> = {
  // On these charge point commands `{evse}` is the EVSE's OCPP network id, not its AMPECO id.
  chargePointStartChargingSession: { evse: 'evseNetworkId' },
  chargePointReserve: { evse: 'evseNetworkId' },
};

/** Our own description of a command, by operationId, where the derived one says too little. */
export const commandDescriptions: Record<string, string> = {};

/** Commands described and shaped by hand (payload fields, the record a command creates). Every other write is derived. */
export const actions: ActionDefinition[] = [
  {
    mutation: 'startChargingSession',
    operationId: 'chargePointStartChargingSessionWithoutEvse',
    description: 'Ask a charge point to start charging on whichever EVSE it chooses.',
    pathArgs: { chargePoint: { arg: 'chargePointId', description: 'The charge point to start charging on.' } },
    body: true,
    target: { type: 'ChargePoint', pathParam: 'chargePoint' },
    // AMPECO answers with the authorization only; the session carries the same authorizationId.
    creates: { field: 'session', type: 'Session', filter: { chargePointId: 'chargePoint', status: '=active' }, match: 'authorizationId' },
  },
  {
    mutation: 'startChargingSessionOnEvse',
    operationId: 'evseStartChargingWithEvseId',
    description: 'Ask the charge point of an EVSE to start charging on that EVSE.',
    pathArgs: { evse: { arg: 'evseId', description: 'The EVSE to start charging on.' } },
    body: true,
    target: { type: 'Evse', pathParam: 'evse' },
  },
  {
    mutation: 'stopChargingSession',
    operationId: 'chargePointStopChargingSession',
    description: 'Ask a charge point to stop a running charging session.',
    pathArgs: {
      chargePoint: { arg: 'chargePointId', description: 'The charge point the session runs on.' },
      session: { arg: 'sessionId', description: 'The session to stop.' },
    },
    body: true,
    target: { type: 'Session', pathParam: 'session' },
  },
  {
    mutation: 'resetChargePoint',
    operationId: 'chargePointReset',
    description: 'Reboot a charge point: SOFT lets running sessions end cleanly, HARD restarts at once.',
    pathArgs: {
      chargePoint: { arg: 'chargePointId', description: 'The charge point to reset.' },
      type: { arg: 'type', description: 'How hard to reset.' },
    },
    body: false,
    target: { type: 'ChargePoint', pathParam: 'chargePoint' },
  },
  {
    mutation: 'changeChargePointAvailability',
    operationId: 'chargePointChangeAvailability',
    description: 'Make a charge point, or one of its EVSEs, operative or inoperative.',
    pathArgs: { chargePoint: { arg: 'chargePointId', description: 'The charge point to change.' } },
    body: true,
    target: { type: 'ChargePoint', pathParam: 'chargePoint' },
  },
  {
    mutation: 'unlockEvse',
    operationId: 'chargePointEvseUnlock',
    description: "Release the cable lock of an EVSE's connector.",
    pathArgs: {
      chargePoint: { arg: 'chargePointId', description: 'The charge point of the EVSE.' },
      evse: { arg: 'evseNetworkId', description: "The EVSE's network id (its OCPP connector/EVSE number), not its AMPECO id." },
    },
    body: false,
    target: { type: 'ChargePoint', pathParam: 'chargePoint' },
  },
];

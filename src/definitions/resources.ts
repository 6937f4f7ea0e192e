/**
 * The hand-kept layer over AMPECO's contract: which REST operations make up each
 * GraphQL type, how records nest, and how types relate. Everything else about a
 * resource (fields, enums, filters, includes, pagination, request bodies) is read
 * from the contract by `scripts/generate-contract.ts` into `src/__generated__/contract.ts`.
 *
 * Adding a resource means adding an entry here and re-running `npm run generate`.
 */

export type Operation = 'list' | 'read' | 'create' | 'update' | 'delete';

export interface ParentLink {
  /** GraphQL type of the parent resource. */
  resource: string;
  /** Path parameter that holds the parent's id. */
  param: string;
  /**
   * Field of the child record that holds the parent's id. When the contract's record
   * has no such field, the datasource stamps it on every record it reads under the parent.
   */
  field: string;
}

export interface RelationDefinition {
  /** GraphQL field on the owning type. */
  field: string;
  /** Target GraphQL type. */
  target: string;
  /**
   * to-one: the owning record holds the target's id in `via`.
   * to-many: the target's listing filtered by `filter` = owning record's id (a connection),
   *          or embedded through `include` on the owning record when `include` is set.
   */
  kind: 'one' | 'many';
  via?: string;
  filter?: string;
  include?: string;
  /** Child records live under the owning record's path (sub-resource listing). */
  nested?: boolean;
  /**
   * `list` for small bounded sets fetched whole (a charge point's EVSEs), `connection` for
   * unbounded ones paged Relay-style (a user's sessions). Defaults to `connection`.
   */
  shape?: 'list' | 'connection';
  description: string;
}

export interface ResourceDefinition {
  /** GraphQL type name, singular PascalCase. */
  name: string;
  /** Schema file (domain) the type belongs to. */
  domain: string;
  description: string;
  /** Collection path of the REST resource; `{param}` placeholders name parent ids. */
  path: string;
  /** Path parameter of the item id. */
  idParam: string;
  /** Parents from the outermost in; their ids fill the path's placeholders. */
  parents?: ParentLink[];
  /** operationId in the contract for each operation AMPECO offers on this resource. */
  operations: Partial<Record<Operation, string>>;
  relations: RelationDefinition[];
  /** Fields of the record deliberately left out of the graph (dotted paths for nested ones), with the reason. */
  omit?: Record<string, string>;
  /** Root field name for the listing when the naive plural (`name` + s) is wrong. */
  plural?: string;
}

export const resources: ResourceDefinition[] = [
  {
    name: 'Location',
    domain: 'charging',
    description: 'A site where charge points are installed, with its address, opening hours and charging zones.',
    path: '/public-api/resources/locations/v2.0',
    idParam: 'location',
    operations: {
      list: 'locationsListing',
      read: 'locationRead',
      create: 'locationCreate',
      update: 'locationUpdate',
      delete: 'locationDelete',
    },
    relations: [
      { field: 'chargingZones', target: 'ChargingZone', kind: 'many', include: 'chargingZones', nested: true, shape: 'list', description: 'The zones this location is divided into.' },
      { field: 'chargePoints', target: 'ChargePoint', kind: 'many', filter: 'locationId', description: 'Charge points installed at this location.' },
    ],
  },
  {
    name: 'ChargingZone',
    domain: 'charging',
    description: 'A named area of a location (a parking level, a fleet depot) that groups charge points.',
    path: '/public-api/resources/locations/v2.0/{location}/charging-zones',
    idParam: 'chargingZone',
    parents: [{ resource: 'Location', param: 'location', field: 'locationId' }],
    operations: {
      list: 'locationChargingZonesListing',
      read: 'locationChargingZoneRead',
      create: 'locationChargingZoneCreate',
      update: 'locationChargingZoneUpdate',
      delete: 'locationChargingZoneDelete',
    },
    relations: [
      { field: 'location', target: 'Location', kind: 'one', via: 'locationId', description: 'The location this zone belongs to.' },
      { field: 'chargePoints', target: 'ChargePoint', kind: 'many', filter: 'chargingZoneId', description: 'Charge points assigned to this zone.' },
    ],
  },
  {
    name: 'ChargePoint',
    domain: 'charging',
    description: 'A charging station: the OCPP-connected unit that hosts one or more EVSEs.',
    path: '/public-api/resources/charge-points/v2.0',
    idParam: 'chargePoint',
    operations: {
      list: 'chargePointsListing',
      read: 'chargePointRead',
      create: 'chargePointCreate',
      update: 'chargePointUpdate',
      delete: 'chargePointDelete',
    },
    omit: { 'network.password': "The charge point's OCPP password: a secret, writable but never shown." },
    relations: [
      { field: 'location', target: 'Location', kind: 'one', via: 'locationId', description: 'The location the charge point is installed at.' },
      { field: 'chargingZone', target: 'ChargingZone', kind: 'one', via: 'chargingZoneId', description: 'The charging zone the charge point is assigned to, if any.' },
      { field: 'evses', target: 'Evse', kind: 'many', filter: 'chargePointId', shape: 'list', description: 'The EVSEs (charging outlets) of this charge point.' },
      { field: 'sessions', target: 'Session', kind: 'many', filter: 'chargePointId', description: 'Charging sessions on this charge point, newest first.' },
      { field: 'owner', target: 'User', kind: 'one', via: 'user.id', description: 'The user owning this charge point, for personal (home) chargers.' },
      { field: 'model', target: 'ChargePointModel', kind: 'one', via: 'modelId', description: 'The hardware model of the charge point, when known.' },
    ],
  },
  {
    name: 'Evse',
    domain: 'charging',
    description: 'An EVSE: one independently controllable charging outlet of a charge point, with its connectors.',
    path: '/public-api/resources/evses/v2.1',
    idParam: 'evse',
    operations: {
      list: 'evsesListing',
      read: 'evseRead',
      create: 'evseCreate',
      update: 'evseUpdate',
      delete: 'evseDelete',
    },
    relations: [
      { field: 'chargePoint', target: 'ChargePoint', kind: 'one', via: 'chargePointId', description: 'The charge point this EVSE belongs to.' },
      { field: 'connectors', target: 'Connector', kind: 'many', include: 'connectors', nested: true, shape: 'list', description: 'The physical connectors (plugs or sockets) of this EVSE.' },
      { field: 'sessions', target: 'Session', kind: 'many', filter: 'evseId', description: 'Charging sessions on this EVSE, newest first.' },
    ],
  },
  {
    name: 'Connector',
    domain: 'charging',
    description: 'A physical plug or socket of an EVSE.',
    path: '/public-api/resources/charge-points/v2.0/{chargePoint}/evses/{evse}/connectors',
    idParam: 'connector',
    parents: [
      { resource: 'ChargePoint', param: 'chargePoint', field: 'chargePointId' },
      { resource: 'Evse', param: 'evse', field: 'evseId' },
    ],
    operations: {
      list: 'chargePointEvseConnectorsListing',
      read: 'chargePointEvseConnectorRead',
      create: 'chargePointEvseConnectorCreate',
      update: 'chargePointEvseConnectorUpdate',
      delete: 'chargePointEvseConnectorDelete',
    },
    relations: [
      { field: 'evse', target: 'Evse', kind: 'one', via: 'evseId', description: 'The EVSE this connector belongs to.' },
      { field: 'chargePoint', target: 'ChargePoint', kind: 'one', via: 'chargePointId', description: 'The charge point this connector belongs to.' },
    ],
  },
  {
    name: 'Session',
    domain: 'charging',
    description: 'A charging session: energy delivered through one EVSE to one driver, with its cost and payment state.',
    path: '/public-api/resources/sessions/v1.0',
    idParam: 'session',
    operations: { list: 'sessionsListing', read: 'sessionRead' },
    relations: [
      { field: 'chargePoint', target: 'ChargePoint', kind: 'one', via: 'chargePointId', description: 'The charge point the session ran on.' },
      { field: 'evse', target: 'Evse', kind: 'one', via: 'evseId', description: 'The EVSE the session ran on.' },
      { field: 'connector', target: 'Connector', kind: 'one', via: 'connectorId', description: 'The connector used, when AMPECO knows it.' },
      { field: 'user', target: 'User', kind: 'one', via: 'userId', description: 'The driver who charged, when the session belongs to a registered user.' },
    ],
  },
  {
    name: 'User',
    domain: 'charging',
    description: 'A registered driver account of the operator.',
    path: '/public-api/resources/users/v1.0',
    idParam: 'user',
    operations: {
      list: 'usersListing',
      read: 'userRead',
      create: 'userCreate',
      update: 'userUpdate',
      delete: 'userDelete',
    },
    omit: { password: 'A secret: AMPECO may echo it, the graph never shows it.' },
    relations: [
      { field: 'sessions', target: 'Session', kind: 'many', filter: 'userId', description: "The user's charging sessions, newest first." },
      { field: 'chargePoints', target: 'ChargePoint', kind: 'many', filter: 'userId', description: 'Personal charge points owned by the user.' },
    ],
  },
];

resources.push(
  {
    name: 'ChargePointModel',
    domain: 'hardware',
    description: 'A charge point hardware model of a vendor, with its manuals and default photo.',
    path: '/public-api/resources/charge-point-models/v1.0',
    idParam: 'modelId',
    operations: {
      list: 'chargePointModelsListing',
      read: 'chargePointModelRead',
      create: 'chargePointModelCreate',
      update: 'chargePointModelUpdate',
      delete: 'chargePointModelDelete',
    },
    relations: [
      { field: 'vendor', target: 'ChargePointVendor', kind: 'one', via: 'vendorId', description: 'The vendor that makes this model.' },
      { field: 'chargePoints', target: 'ChargePoint', kind: 'many', filter: 'modelId', description: 'Charge points of this model.' },
    ],
  },
  {
    name: 'ChargePointVendor',
    domain: 'hardware',
    description: 'A manufacturer of charge points.',
    path: '/public-api/resources/charge-point-vendors/v1.0',
    idParam: 'vendorId',
    operations: {
      list: 'chargePointVendorsListing',
      read: 'chargePointVendorRead',
      create: 'chargePointVendorCreate',
      update: 'chargePointVendorUpdate',
      delete: 'chargePointVendorDelete',
    },
    relations: [
      { field: 'models', target: 'ChargePointModel', kind: 'many', filter: 'vendorId', description: "The vendor's charge point models." },
    ],
  },
);

export interface ActionDefinition {
  /** GraphQL mutation name, verb first. */
  mutation: string;
  operationId: string;
  description: string;
  /** Maps GraphQL arguments to path parameters; values name an argument. */
  pathArgs: Record<string, { arg: string; description: string }>;
  /** Whether the request body is exposed as an `input` argument. */
  body: boolean;
  /** Type whose record the action acts on, re-read (and cache-cleared) after the call. */
  target?: { type: string; pathParam: string };
  /**
   * A record the command creates that AMPECO's answer does not name: found in a listing filtered
   * by path values (`filter` maps listing filter -> path parameter, or a fixed value after `=`),
   * as the row whose `match` field equals the answer's field of the same name.
   */
  creates?: { field: string; type: string; filter: Record<string, string>; match: string };
}

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

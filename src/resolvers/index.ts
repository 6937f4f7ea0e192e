/** The resolver map: one module per type, plus Query, Mutation, scalars and enums. */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { enumValues } from '../__generated__/enums.js';
import { contractVersion, specs } from '../datasources/registry.js';
import { actionMutations, actionPayloadResolvers } from './actions.js';
import { mutationResolvers, queryResolvers } from './factory.js';
import { ChargePoint } from './ChargePoint.js';
import { ChargePointModel } from './ChargePointModel.js';
import { ChargePointVendor } from './ChargePointVendor.js';
import { ChargingZone } from './ChargingZone.js';
import { Connector } from './Connector.js';
import { Evse } from './Evse.js';
import { Location } from './Location.js';
import { Session } from './Session.js';
import { User } from './User.js';
import { DateScalar, DateTime, JSONScalar } from './scalars.js';

const types = [...specs.keys()];

export const resolvers: Resolvers = {
  Query: Object.assign({ contractVersion: () => contractVersion }, ...types.map(queryResolvers)),
  Mutation: Object.assign({}, ...types.map(mutationResolvers), actionMutations()),
  ChargePoint,
  ChargePointModel,
  ChargePointVendor,
  ChargingZone,
  Connector,
  Evse,
  Location,
  Session,
  User,
  ...actionPayloadResolvers(),
  DateTime,
  Date: DateScalar,
  JSON: JSONScalar,
  // GraphQL enum values (SCREAMING_CASE) resolve to the strings AMPECO sends and expects.
  ...enumValues,
};

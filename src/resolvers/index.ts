/** The resolver map: one module per type, plus Query, Mutation, scalars and enums. */
import { enumValues } from '../__generated__/enums.js';
import { resourceNames } from '../__generated__/records.js';
import type { MutationResolvers, QueryResolvers, Resolvers } from '../__generated__/resolvers-types.js';
import { contractVersion } from '../datasources/registry.js';
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

const Query = resourceNames.reduce<QueryResolvers>((all, type) => ({ ...all, ...queryResolvers(type) }), {
  contractVersion: () => contractVersion,
});

const Mutation: MutationResolvers = {
  ...resourceNames.reduce<MutationResolvers>((all, type) => ({ ...all, ...mutationResolvers(type) }), {}),
  ...actionMutations(),
};

/** Everything codegen's `Resolvers` types, each entry checked against the schema. */
const typed: Resolvers = {
  Query,
  Mutation,
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
};

/**
 * The map the subgraph runs: the typed one, plus each GraphQL enum's values (SCREAMING_CASE) to the
 * strings AMPECO sends and expects (codegen's `Resolvers` has no slot for them: enums are generated
 * as string types).
 */
export const resolvers = { ...typed, ...enumValues };

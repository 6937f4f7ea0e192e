/** The resolver map: one module per type, plus Query, Mutation, scalars and enums. */
import { enumValues, renamedFields } from '../__generated__/enums.js';
import { resourceNames, type ResourceName } from '../__generated__/records.js';
import type { MutationResolvers, QueryResolvers, Resolvers } from '../__generated__/resolvers-types.js';
import { contractVersion } from '../datasources/registry.js';
import { actionMutations, actionPayloadResolvers } from './actions.js';
import { mutationResolvers, queryResolvers, typeResolvers, viewResolvers, type TypeResolvers } from './factory.js';
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
  ...viewResolvers(null),
});

/**
 * Every resource type's resolvers built from its definition; the modules imported above add what a
 * definition cannot say (today, nothing: each is `typeResolvers(T)` checked with `satisfies`).
 */
const derived = Object.fromEntries(resourceNames.map((type) => [type, typeResolvers(type)])) as { [T in ResourceName]: TypeResolvers<T> };

const Mutation: MutationResolvers = {
  ...resourceNames.reduce<MutationResolvers>((all, type) => ({ ...all, ...mutationResolvers(type) }), {}),
  ...actionMutations(),
};

/** Everything codegen's `Resolvers` types, each entry checked against the schema. */
const typed: Resolvers = {
  ...derived,
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

// Fields renamed from AMPECO's snake_case keys read the record's key.
for (const [type, fields] of Object.entries(renamedFields)) {
  const own = ((resolvers as Record<string, unknown>)[type] ?? {}) as Record<string, unknown>;
  const readers = Object.fromEntries(Object.entries(fields).map(([name, key]) => [name, (parent: Record<string, unknown>) => parent[key]]));
  (resolvers as Record<string, unknown>)[type] = { ...readers, ...own };
}

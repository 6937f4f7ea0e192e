/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Narrows a listing of charge points; each field maps to AMPECO's filter of the same name. */
export type ChargePointFilter = {
  bootNotificationSerialNumber?: string | null | undefined;
  chargingZoneId?: string | null | undefined;
  circuitId?: string | null | undefined;
  desiredSecurityProfileStatus?: ChargePointSecurityDesiredProfileStatus | null | undefined;
  evsePhysicalReference?: string | null | undefined;
  externalId?: string | null | undefined;
  lastUpdatedAfter?: string | null | undefined;
  lastUpdatedBefore?: string | null | undefined;
  locationId?: string | null | undefined;
  managedByOperator?: string | null | undefined;
  modelId?: string | null | undefined;
  name?: string | null | undefined;
  networkId?: string | null | undefined;
  partnerId?: string | null | undefined;
  roaming?: string | null | undefined;
  roamingOperatorIds?: Array<string> | null | undefined;
  sharingCode?: string | null | undefined;
  subOperatorId?: string | null | undefined;
  tag?: string | null | undefined;
  type?: ChargePointType | null | undefined;
  userId?: string | null | undefined;
  utilityId?: string | null | undefined;
  vendorId?: string | null | undefined;
};

/** The values AMPECO allows for a charge point's `networkStatus`; each maps to AMPECO's own spelling. */
export type ChargePointNetworkStatus =
  | 'AVAILABLE'
  | 'LONG_TERM_UNAVAILABLE'
  | 'NEVER_CONNECTED'
  | 'TEMPORARILY_UNAVAILABLE';

/** The values AMPECO allows for a charge point's `security.desiredProfileStatus`; each maps to AMPECO's own spelling. */
export type ChargePointSecurityDesiredProfileStatus =
  | 'APPLIED'
  | 'PENDING'
  | 'REJECTED';

/** The values AMPECO allows for a charge point's `status`; each maps to AMPECO's own spelling. */
export type ChargePointStatus =
  | 'DEMO'
  | 'DISABLED'
  | 'ENABLED'
  | 'OUT_OF_ORDER';

/** The values AMPECO allows for a charge point's `type`; each maps to AMPECO's own spelling. */
export type ChargePointType =
  | 'PERSONAL'
  | 'PRIVATE'
  | 'PUBLIC';

/** The values AMPECO allows for a connector's `format`; each maps to AMPECO's own spelling. */
export type ConnectorFormat =
  | 'CABLE'
  | 'SOCKET';

/** The values AMPECO allows for a connector's `type`; each maps to AMPECO's own spelling. */
export type ConnectorType =
  | 'AVCON'
  | 'CCS1'
  | 'CCS2'
  | 'CEE16'
  | 'CEE32'
  | 'CHADEMO'
  | 'CHAOJI'
  | 'GB_T_AC'
  | 'GB_T_DC'
  | 'INDUCTIVE'
  | 'J1772'
  | 'NACS'
  | 'NEMA_5_20'
  | 'NEMA_6_30'
  | 'NEMA_6_50'
  | 'SCHUKO'
  | 'TYPE1'
  | 'TYPE2'
  | 'TYPE3'
  | 'TYPE_E_FRENCH'
  | 'TYPE_G_BRITISH'
  | 'TYPE_J_SWISS';

/** The values AMPECO allows for an EVSE's `currentType`; each maps to AMPECO's own spelling. */
export type EvseCurrentType =
  | 'AC'
  | 'DC';

/** The values AMPECO allows for an EVSE's `status`; each maps to AMPECO's own spelling. */
export type EvseStatus =
  | 'DISABLED'
  | 'ENABLED'
  | 'OUT_OF_ORDER';

/** The values AMPECO allows for a session's `status`; each maps to AMPECO's own spelling. */
export type SessionStatus =
  | 'ACTIVE'
  | 'EXPIRED'
  | 'FAILED'
  | 'FINISHED'
  | 'PENDING'
  | 'UNKNOWN';

/** Categories of refused input. */
export type UserErrorCode =
  /** The credentials may not perform this write. */
  | 'FORBIDDEN'
  /** AMPECO found the value invalid (HTTP 422). */
  | 'INVALID'
  /** A record the mutation refers to does not exist. */
  | 'NOT_FOUND';

export type ChargePointDetailsQueryVariables = Exact<{
  id: string;
}>;


export type ChargePointDetailsQuery = { chargePoint: { id: string, name: string, status: ChargePointStatus, networkStatus: ChargePointNetworkStatus, location: { id: string, city: string | null, name: Array<{ locale: string | null, translation: string | null }> } | null, evses: Array<{ id: string, networkId: string, physicalReference: string, currentType: EvseCurrentType, status: EvseStatus, connectors: Array<{ id: string, type: ConnectorType, format: ConnectorFormat | null }> | null }> | null } | null };

export type RecentSessionsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type RecentSessionsQuery = { sessions: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, status: SessionStatus, startedAt: string, stoppedAt: string | null, chargePoint: { id: string, name: string } | null }> } | null };

export type ChargePointsMatchingQueryVariables = Exact<{
  filter: ChargePointFilter;
  first?: number | null | undefined;
}>;


export type ChargePointsMatchingQuery = { chargePoints: { nodes: Array<{ id: string, name: string, status: ChargePointStatus, locationId: string | null }> } | null };

export type RenameChargePointMutationVariables = Exact<{
  id: string;
  name: string;
}>;


export type RenameChargePointMutation = { updateChargePoint: { chargePoint: { id: string, name: string } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } | null };


export const ChargePointDetailsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ChargePointDetails"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chargePoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"networkStatus"}},{"kind":"Field","name":{"kind":"Name","value":"location"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"name"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"locale"}},{"kind":"Field","name":{"kind":"Name","value":"translation"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"evses"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"networkId"}},{"kind":"Field","name":{"kind":"Name","value":"physicalReference"}},{"kind":"Field","name":{"kind":"Name","value":"currentType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"connectors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"format"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ChargePointDetailsQuery, ChargePointDetailsQueryVariables>;
export const RecentSessionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RecentSessions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"stoppedAt"}},{"kind":"Field","name":{"kind":"Name","value":"chargePoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RecentSessionsQuery, RecentSessionsQueryVariables>;
export const ChargePointsMatchingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ChargePointsMatching"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChargePointFilter"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chargePoints"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"locationId"}}]}}]}}]}}]} as unknown as DocumentNode<ChargePointsMatchingQuery, ChargePointsMatchingQueryVariables>;
export const RenameChargePointDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RenameChargePoint"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateChargePoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chargePoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<RenameChargePointMutation, RenameChargePointMutationVariables>;
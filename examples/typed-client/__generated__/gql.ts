/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ChargePointDetails($id: ID!) {\n    chargePoint(id: $id) {\n      id\n      name\n      status\n      networkStatus\n      location {\n        id\n        city\n        name {\n          locale\n          translation\n        }\n      }\n      evses {\n        id\n        networkId\n        physicalReference\n        currentType\n        status\n        connectors {\n          id\n          type\n          format\n        }\n      }\n    }\n  }\n": typeof types.ChargePointDetailsDocument,
    "\n  query RecentSessions($first: Int!, $after: String) {\n    sessions(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        status\n        startedAt\n        stoppedAt\n        chargePoint {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.RecentSessionsDocument,
    "\n  query ChargePointsMatching($filter: ChargePointFilter!, $first: Int = 50) {\n    chargePoints(filter: $filter, first: $first) {\n      nodes {\n        id\n        name\n        status\n        locationId\n      }\n    }\n  }\n": typeof types.ChargePointsMatchingDocument,
    "\n  mutation RenameChargePoint($id: ID!, $name: String!) {\n    updateChargePoint(id: $id, input: { name: $name }) {\n      chargePoint {\n        id\n        name\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": typeof types.RenameChargePointDocument,
};
const documents: Documents = {
    "\n  query ChargePointDetails($id: ID!) {\n    chargePoint(id: $id) {\n      id\n      name\n      status\n      networkStatus\n      location {\n        id\n        city\n        name {\n          locale\n          translation\n        }\n      }\n      evses {\n        id\n        networkId\n        physicalReference\n        currentType\n        status\n        connectors {\n          id\n          type\n          format\n        }\n      }\n    }\n  }\n": types.ChargePointDetailsDocument,
    "\n  query RecentSessions($first: Int!, $after: String) {\n    sessions(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        status\n        startedAt\n        stoppedAt\n        chargePoint {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.RecentSessionsDocument,
    "\n  query ChargePointsMatching($filter: ChargePointFilter!, $first: Int = 50) {\n    chargePoints(filter: $filter, first: $first) {\n      nodes {\n        id\n        name\n        status\n        locationId\n      }\n    }\n  }\n": types.ChargePointsMatchingDocument,
    "\n  mutation RenameChargePoint($id: ID!, $name: String!) {\n    updateChargePoint(id: $id, input: { name: $name }) {\n      chargePoint {\n        id\n        name\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": types.RenameChargePointDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChargePointDetails($id: ID!) {\n    chargePoint(id: $id) {\n      id\n      name\n      status\n      networkStatus\n      location {\n        id\n        city\n        name {\n          locale\n          translation\n        }\n      }\n      evses {\n        id\n        networkId\n        physicalReference\n        currentType\n        status\n        connectors {\n          id\n          type\n          format\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChargePointDetails($id: ID!) {\n    chargePoint(id: $id) {\n      id\n      name\n      status\n      networkStatus\n      location {\n        id\n        city\n        name {\n          locale\n          translation\n        }\n      }\n      evses {\n        id\n        networkId\n        physicalReference\n        currentType\n        status\n        connectors {\n          id\n          type\n          format\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentSessions($first: Int!, $after: String) {\n    sessions(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        status\n        startedAt\n        stoppedAt\n        chargePoint {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RecentSessions($first: Int!, $after: String) {\n    sessions(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        status\n        startedAt\n        stoppedAt\n        chargePoint {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChargePointsMatching($filter: ChargePointFilter!, $first: Int = 50) {\n    chargePoints(filter: $filter, first: $first) {\n      nodes {\n        id\n        name\n        status\n        locationId\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChargePointsMatching($filter: ChargePointFilter!, $first: Int = 50) {\n    chargePoints(filter: $filter, first: $first) {\n      nodes {\n        id\n        name\n        status\n        locationId\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameChargePoint($id: ID!, $name: String!) {\n    updateChargePoint(id: $id, input: { name: $name }) {\n      chargePoint {\n        id\n        name\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RenameChargePoint($id: ID!, $name: String!) {\n    updateChargePoint(id: $id, input: { name: $name }) {\n      chargePoint {\n        id\n        name\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
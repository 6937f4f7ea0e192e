/**
 * Federation test helpers: a tiny second subgraph ("reviews") that extends the facade's entities,
 * and an Apollo Gateway composing it with the facade at runtime (IntrospectAndCompose), the way
 * a real supergraph deployment would run them.
 */
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { GraphQLResponse } from './stack.js';

/**
 * Extends ChargePoint with reviews, and refers to the facade's entities (including the two
 * composite-key sub-resources) without resolving them itself.
 */
export const REVIEWS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    "Charge points this subgraph points at: the gateway fetches their fields from the facade."
    featuredChargePoints: [ChargePoint!]!
    featuredZones: [ChargingZone!]!
    featuredConnectors: [Connector!]!
  }

  type ChargePoint @key(fields: "id") {
    id: ID!
    reviews: [Review!]!
  }

  type ChargingZone @key(fields: "id locationId", resolvable: false) {
    id: ID!
    locationId: ID
  }

  type Connector @key(fields: "id evseId", resolvable: false) {
    id: ID!
    evseId: ID!
  }

  type Review {
    stars: Int!
  }
`;

/** Deterministic stars for a charge point: two reviews, 1-5 stars each. */
export function starsFor(id: string): number[] {
  const n = Number(id);
  return [(n % 5) + 1, ((n * 3) % 5) + 1];
}

export interface FeaturedData {
  chargePoints: string[];
  zones: { id: string; locationId: string }[];
  connectors: { id: string; evseId: string }[];
}

export interface RunningSubgraph {
  url: string;
  /** Entity representations this subgraph was asked to resolve. */
  references: { __typename: string; id: string }[];
  close(): Promise<void>;
}

export async function startReviewsSubgraph(featured: FeaturedData): Promise<RunningSubgraph> {
  const references: RunningSubgraph['references'] = [];
  const resolvers = {
    Query: {
      featuredChargePoints: () => featured.chargePoints.map((id) => ({ id })),
      featuredZones: () => featured.zones,
      featuredConnectors: () => featured.connectors,
    },
    ChargePoint: {
      __resolveReference(ref: { id: string }) {
        references.push({ __typename: 'ChargePoint', id: ref.id });
        return { id: ref.id };
      },
      reviews: (cp: { id: string }) => starsFor(cp.id).map((stars) => ({ stars })),
    },
  };
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(REVIEWS_SDL), resolvers }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, references, close: () => server.stop() };
}

interface GatewayContext {
  authorization?: string;
}

/** Copies the client's Authorization header onto every subgraph request of its operation. */
export class AuthForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]): void {
    // Schema loading and health checks carry an empty context: no header to forward there.
    const authorization = (context as GatewayContext).authorization;
    if (authorization) request.http?.headers.set('authorization', authorization);
  }
}

export interface RunningGateway {
  url: string;
  gateway: ApolloGateway;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, options?: { token?: string | null }): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startGateway(subgraphs: { name: string; url: string }[]): Promise<RunningGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({ subgraphs }),
    buildService: ({ url }) => new AuthForwardingDataSource({ url }),
  });
  const server = new ApolloServer<GatewayContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: ({ req }) => Promise.resolve({ authorization: req.headers.authorization }),
  });
  return {
    url,
    gateway,
    async gql(query, variables, { token = 'sim-token' } = {}) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GraphQLResponse;
      return { ...body, status: res.status } as never;
    },
    close: () => server.stop(),
  };
}

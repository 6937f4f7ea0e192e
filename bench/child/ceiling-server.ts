/**
 * The ceiling of the load part: what the stack itself costs. A bare Apollo Server 5 on its own HTTP
 * integration (startStandaloneServer: node:http, cors, body-parser), default plugins, and one undici
 * call per request to the same replay upstream the facade reads, whose body it parses and returns.
 * It serves the load part's simple query (`chargePoints(first:) { nodes { id name } }`) with the same
 * answer as the facade, so the difference between the two is the facade's own per-request path.
 *
 * Run as built JavaScript (dist/bench/child/ceiling-server.js), as the facade is: the bench transpiles it.
 * Environment: PORT, UPSTREAM_URL (origin), UPSTREAM_PATH (the listing the facade asks for, query
 * included). The bearer token of each request is forwarded, as the facade does in pass-through mode.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Pool } from 'undici';

const upstreamUrl = process.env.UPSTREAM_URL ?? '';
const upstreamPath = process.env.UPSTREAM_PATH ?? '';
if (!upstreamUrl || !upstreamPath) throw new Error('UPSTREAM_URL and UPSTREAM_PATH are required.');
// As many sockets as the facade's AMPECO_MAX_IN_FLIGHT default.
const pool = new Pool(upstreamUrl, { connections: 32 });

const typeDefs = `#graphql
  type Query { chargePoints(first: Int = 25): ChargePointConnection }
  type ChargePointConnection { nodes: [ChargePoint!]! }
  type ChargePoint { id: ID! name: String }
`;

interface Context {
  authorization: string | undefined;
}

const resolvers = {
  Query: {
    async chargePoints(_: unknown, args: { first: number }, ctx: Context) {
      const res = await pool.request({
        method: 'GET',
        path: upstreamPath,
        headers: { accept: 'application/json', ...(ctx.authorization ? { authorization: ctx.authorization } : {}) },
      });
      const body = (await res.body.json()) as { data: unknown[] };
      // The facade may ask for a row more than `first` (to know whether a next page exists).
      return { nodes: body.data.slice(0, args.first) };
    },
  },
};

const server = new ApolloServer<Context>({ typeDefs, resolvers });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT ?? 0), host: '127.0.0.1' },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
console.log(`GraphQL endpoint: ${url}`);

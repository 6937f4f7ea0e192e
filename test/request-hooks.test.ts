import { ApolloServer, type BaseContext } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { requestHooksPlugin, type RequestHooks } from '../src/request-hooks.js';

const typeDefs = 'type Query { hello: String }';
const resolvers = { Query: { hello: () => 'world' } };

async function run(hooks: RequestHooks<BaseContext>[], query = '{ hello }') {
  const server = new ApolloServer({ typeDefs, resolvers, plugins: [requestHooksPlugin(hooks)] });
  await server.start();
  try {
    const res = await server.executeOperation({ query });
    return res.body.kind === 'single' ? res.body.singleResult : undefined;
  } finally {
    await server.stop();
  }
}

describe('requestHooksPlugin', () => {
  it('runs every hook in the order given, with the request at hand', async () => {
    const seen: string[] = [];
    const result = await run([
      { didResolveOperation: ({ operation }) => void seen.push(`a:${operation?.operation}`), willSendResponse: () => void seen.push('a:send') },
      { didResolveOperation: () => void seen.push('b'), didEncounterErrors: () => void seen.push('b:errors') },
      { willSendResponse: ({ response }) => void seen.push(`c:send:${response.body.kind}`) },
    ]);
    expect(result?.data).toEqual({ hello: 'world' });
    expect(seen).toEqual(['a:query', 'b', 'a:send', 'c:send:single']);
  });

  it('stops at the first refusal: later checks do not run, the errors and response hooks do', async () => {
    const seen: string[] = [];
    const result = await run([
      {
        didResolveOperation: () => {
          seen.push('first');
          throw new Error('refused by the first');
        },
      },
      { didResolveOperation: () => void seen.push('second'), didEncounterErrors: ({ errors }) => void seen.push(`errors:${errors.length}`) },
      { willSendResponse: () => void seen.push('send') },
    ]);
    expect(result?.data).toBeUndefined();
    expect(result?.errors?.[0]?.message).toBe('refused by the first');
    expect(seen).toEqual(['first', 'errors:1', 'send']);
  });
});

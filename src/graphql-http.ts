/**
 * GraphQL over node:http without express on the way: what a plain `POST /graphql` with a JSON body
 * needs (read the body within the limit, parse it, hand it to Apollo, write Apollo's answer) and
 * nothing else. Express + router + body-parser cost about a tenth of a simple query's CPU time (route
 * matching, a weak ETag hashed over every response body, wrappers around req and res). Everything
 * else (GET queries, compressed or chunked bodies, other charsets, GraphiQL, the probes) still goes
 * through the express app, which answers it as before with the same functions.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextThunk } from '@apollo/server';

/** JSON in UTF-8, what GraphQL clients send; any other body is read by express's parser. */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i;

/**
 * Whether the fast path can read this request's body exactly as express.json() would: a POST to the
 * endpoint itself, JSON in UTF-8, not compressed, with a declared length within the limit (so it is
 * never refused half-read). The rest (and every refusal's wording) stays with express.
 */
export function fastPathReads(req: IncomingMessage, endpoint: string, maxBodyBytes: number): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  if ((q < 0 ? url : url.slice(0, q)) !== endpoint) return false;
  const { 'content-type': type, 'content-encoding': encoding, 'content-length': length } = req.headers;
  if (type === undefined || !PLAIN_JSON.test(type)) return false;
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const declared = length === undefined ? NaN : Number(length);
  return declared > 0 && declared <= maxBodyBytes;
}

/** Why a body could not be read: the same `type` as body-parser's errors, so one handler words both. */
export class BodyError extends Error {
  readonly status = 400;
  constructor(readonly type: 'entity.parse.failed' | 'request.aborted') {
    super(type);
  }
}

/** The body of a request fastPathReads accepted, parsed as express.json() would (strict: an object or an array). */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('error', reject);
    req.once('aborted', () => reject(new BodyError('request.aborted')));
    req.once('end', () => {
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
      // body-parser's strict mode: the first non-blank character opens an object or an array.
      const first = /\S/.exec(text)?.[0];
      if (first !== '{' && first !== '[') return reject(new BodyError('entity.parse.failed'));
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new BodyError('entity.parse.failed'));
      }
    });
  });
}

/** Runs one HTTP GraphQL request through Apollo and writes its answer; what @as-integrations/express5 does, minus express. */
export async function answerGraphQL<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  context: ContextThunk<TContext>,
): Promise<void> {
  const headers = new HeaderMap();
  for (const key in req.headers) {
    const value = req.headers[key];
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: q < 0 ? '' : url.slice(q), body },
    context,
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

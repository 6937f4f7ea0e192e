/**
 * The frontend's side: POSTs a GraphQL operation to a facade over a keep-alive undici Pool and
 * returns the parsed body. An HTTP error or a body with `errors` is a failed run, never a number.
 */
import { Pool } from 'undici';
import { jsonText } from './stats.js';

export interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export class GraphQLClient {
  readonly #pool: Pool;
  readonly #path: string;

  constructor(
    readonly url: string,
    readonly token: string,
  ) {
    const u = new URL(url);
    this.#pool = new Pool(u.origin, { connections: 8 });
    this.#path = u.pathname;
  }

  async request(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLBody> {
    const res = await this.#pool.request({
      method: 'POST',
      path: this.#path,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.body.text();
    let body: GraphQLBody;
    try {
      body = JSON.parse(text) as GraphQLBody;
    } catch {
      throw new Error(`HTTP ${res.statusCode}, not JSON: ${text.slice(0, 200)}`);
    }
    if (res.statusCode !== 200 && !body.errors?.length) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
    return body;
  }

  /** The data, or throws with the first error (its path and code) when the response has any. */
  async data(query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
    const body = await this.request(query, variables);
    if (body.errors?.length) throw new Error(describeErrors(body.errors));
    return body.data;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

export function describeErrors(errors: NonNullable<GraphQLBody['errors']>): string {
  const first = errors[0]!;
  const code = first.extensions?.code ? ` [${jsonText(first.extensions.code)}]` : '';
  const at = first.path ? ` at ${first.path.join('.')}` : '';
  return `${errors.length} GraphQL error(s): ${first.message}${code}${at}`;
}

/**
 * The REST side of one request: AMPECO paths built and checked from the registry, and the one
 * `send` every call leaves through, with the request's credential, call budget and deadline.
 * Transport errors are mapped in ./http; what is mapped here is what only the request knows
 * (no credential, its deadline passed, a 404 that means "no such record").
 */
import { GraphQLError } from 'graphql';
import type { ActionDefinition } from '../definitions/model.js';
import type { ContractOperation } from '../definitions/contract-model.js';
import { UpstreamBadResponseError, UpstreamNotFoundError, type AmpecoHttpClient, type AmpecoResponse, type HttpMethod, type QueryParams } from './http/index.js';
import { isListing } from './envelope.js';
import { checkId, checkPathValue } from './ids.js';
import { missingParentId, parentArgumentName, type ParentReader } from './parent-links.js';
import { readPath, type ListingEnvelope, type RestRecord } from './records.js';
import { fillPath, spec, type ResourceSpec } from './registry.js';
import type { RequestLimits } from './request-limits.js';

/** What a command's answer says about it: passed on now, carried out later, or done. */
export type ActionOutcome = 'ACCEPTED' | 'SCHEDULED' | 'DONE';

export class RestGateway {
  constructor(
    private readonly http: AmpecoHttpClient,
    private readonly token: string | null,
    private readonly limits: RequestLimits,
    /** Paths of resources two levels down need the grandparent's id, found on the parent's record. */
    private readonly readParent: ParentReader,
  ) {}

  /** The one place requests leave for AMPECO, with this request's credential, budget and deadline. */
  async send<T>(method: HttpMethod, path: string, options: { query?: QueryParams; body?: unknown } = {}): Promise<AmpecoResponse<T>> {
    const token = this.requireToken();
    this.limits.spend();
    try {
      return await this.http.request<T>({ method, path, query: options.query, body: options.body, token, deadline: this.limits.deadline });
    } catch (error) {
      if (this.limits.pastDeadline()) throw this.limits.deadlineError();
      throw error;
    }
  }

  /** One page of a listing. */
  async listing(path: string, query: QueryParams): Promise<ListingEnvelope> {
    const res = await this.send<unknown>('GET', path, { query });
    if (!isListing(res.body)) throw unusable(res, 'GET', path, 'a listing without data');
    return res.body;
  }

  /** One record: the `data` of a read, or the body itself where AMPECO answers bare (a currency, a transaction). */
  async item(path: string, query: QueryParams): Promise<RestRecord> {
    return recordOf(await this.send<unknown>('GET', path, { query }), 'GET', path);
  }

  /** One record a view reads: most answers wrap it in `data`, a few (a tenant's contact details) send it bare. */
  async viewItem(path: string): Promise<unknown> {
    const res = await this.send<unknown>('GET', path);
    if (res.body === undefined) throw unusable(res, 'GET', path, 'no body where a record was expected');
    return unwrapped(res.body);
  }

  /** A create or update; the record as AMPECO now has it (wrapped in `data` or bare, as for reads). */
  async write(method: HttpMethod, path: string, body: unknown): Promise<RestRecord> {
    return recordOf(await this.send<unknown>(method, path, { body }), method, path);
  }

  async delete(path: string): Promise<void> {
    await this.send('DELETE', path);
  }

  async collectionPath(s: ResourceSpec, parentId: string | undefined): Promise<string> {
    return fillPath(s.path, await this.parentParams(s, parentId));
  }

  async itemPath(s: ResourceSpec, id: string, parentId: string | undefined): Promise<string> {
    checkId(s, id);
    return `${await this.collectionPath(s, parentId)}/${encodeURIComponent(id)}`;
  }

  /** Path parameters of every parent, resolved from the immediate parent's record where needed. */
  private async parentParams(s: ResourceSpec, parentId: string | undefined): Promise<Record<string, string>> {
    const links = s.parents ?? [];
    const immediate = links.at(-1);
    if (!immediate) return {};
    if (parentId === undefined) throw missingParentId(s);
    checkId(spec(immediate.resource), parentId, parentArgumentName(s));
    const params: Record<string, string> = { [immediate.param]: parentId };
    if (links.length > 1) {
      const parent = await this.readParent(immediate.resource, parentId);
      if (!parent) {
        const parentSpec = spec(immediate.resource);
        throw new UpstreamNotFoundError({ status: 404, method: 'GET', path: `${await this.collectionPath(parentSpec, undefined)}/${parentId}` });
      }
      for (const link of links.slice(0, -1)) params[link.param] = String(readPath(parent, link.field));
    }
    return params;
  }

  private requireToken(): string {
    if (!this.token) {
      throw new GraphQLError('No AMPECO API token: send `Authorization: Bearer <token>` or configure AMPECO_API_TOKEN.', {
        // No HTTP status override: a 200 keeps the rest of the response (and gateways) working.
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    return this.token;
  }
}

/** A read whose 404 means "AMPECO has no such record": null, not an error. */
export async function nullIfNotFound<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof UpstreamNotFoundError) return null;
    throw error;
  }
}

/** An action's path, its values checked against the contract first (BAD_USER_INPUT on the argument that gave a bad one). */
export function actionPath(a: ActionDefinition & { operation: ContractOperation }, pathValues: Record<string, string>): string {
  for (const param of a.operation.pathParams) {
    checkPathValue(param.schema, pathValues[param.name] ?? '', a.pathArgs[param.name]?.arg ?? param.name, `${param.name} of ${a.mutation}`);
  }
  return fillPath(a.operation.path, pathValues);
}

/** 202 = accepted for now; a 204 where 202 is also possible = scheduled for later. */
export function actionOutcome(operation: ContractOperation, status: number): ActionOutcome {
  const accepts = operation.responses.some((r) => r.status === 202);
  return status === 202 ? 'ACCEPTED' : status === 204 && accepts ? 'SCHEDULED' : 'DONE';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An answer's `data` where it has one; otherwise the body itself (AMPECO sends a few records bare). */
function unwrapped(body: unknown): unknown {
  return isObject(body) && 'data' in body ? body.data : body;
}

/**
 * The record of a read or write answer. An answer that holds none (no body, a list, a `data` that is
 * no object, a record without an id to key it by) is AMPECO's failure, refused as UPSTREAM_BAD_RESPONSE
 * on the field that asked for it: never a crash further in.
 */
function recordOf(res: AmpecoResponse<unknown>, method: HttpMethod, path: string): RestRecord {
  if (res.body === undefined) throw unusable(res, method, path, 'no body where a record was expected');
  const record = unwrapped(res.body);
  if (!isObject(record)) throw unusable(res, method, path, 'no record where one was expected');
  if (!hasId(record)) throw unusable(res, method, path, 'a record without an id');
  return record;
}

/** Whether a record has an id to key it by (a string or a number). */
export function hasId(record: Record<string, unknown>): record is RestRecord {
  return (typeof record.id === 'string' && record.id !== '') || (typeof record.id === 'number' && Number.isFinite(record.id));
}

function unusable(res: AmpecoResponse<unknown>, method: HttpMethod, path: string, detail: string): UpstreamBadResponseError {
  return new UpstreamBadResponseError({ status: res.status, method, path }, detail);
}

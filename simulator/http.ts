/** What handlers return, and the errors they throw; the server turns both into responses. */

export interface Reply {
  status: number;
  /** Absent: no body and no content type (204, and 202s the contract declares without content). */
  body?: unknown;
  headers?: Record<string, string>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string[]>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toReply(): Reply {
    return { status: this.status, body: this.errors ? { message: this.message, errors: this.errors } : { message: this.message }, headers: this.headers };
  }
}

export const INVALID = 'The given data was invalid.';

export function unprocessable(errors: Record<string, string[]>): HttpError {
  return new HttpError(422, INVALID, errors);
}

export function notFound(type?: string, id?: string | number): HttpError {
  return new HttpError(404, type ? `No query results for model [${type}] ${id ?? ''}`.trimEnd() : 'Not Found');
}

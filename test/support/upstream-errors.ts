/** The upstream error a promise rejects with; fails the test when it resolves or rejects with something else. */
import { isUpstreamError, type UpstreamError } from '../../src/datasources/http/index.js';

export async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  try {
    await p;
  } catch (e) {
    if (isUpstreamError(e)) return e;
    throw e;
  }
  throw new Error('expected the request to fail');
}

/**
 * Apollo persisted query manifests (the format `@apollo/generate-persisted-query-manifest` writes):
 * `{"format":"apollo-persisted-query-manifest","version":1,"operations":[{"id","name","type","body"}]}`.
 */
import { readFileSync } from 'node:fs';

export interface PersistedOperation {
  /** The id clients send as `extensions.persistedQuery.sha256Hash` (normally the body's SHA-256). */
  id: string;
  body: string;
}

/** The manifest's operations, or the one sentence saying what is wrong with the file. */
export function readManifest(path: string): { operations: PersistedOperation[] } | { problem: string } {
  const where = `FACADE_PERSISTED_QUERY_MANIFEST (${path})`;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : error instanceof SyntaxError ? 'the file is not valid JSON' : 'the file cannot be read';
    return { problem: `${where}: ${reason}.` };
  }
  if (!isRecord(json) || json.format !== 'apollo-persisted-query-manifest' || json.version !== 1 || !Array.isArray(json.operations)) {
    return { problem: `${where} must be an Apollo persisted query manifest: {"format":"apollo-persisted-query-manifest","version":1,"operations":[...]}.` };
  }
  const operations: PersistedOperation[] = [];
  const ids = new Set<string>();
  for (const [i, op] of json.operations.entries()) {
    if (!isRecord(op) || typeof op.id !== 'string' || !op.id || typeof op.body !== 'string' || !op.body.trim()) {
      return { problem: `${where}: operation ${i + 1} needs a non-empty string "id" and "body".` };
    }
    if (ids.has(op.id)) return { problem: `${where}: the id of operation ${i + 1} is used by an earlier operation.` };
    ids.add(op.id);
    operations.push({ id: op.id, body: op.body });
  }
  if (!operations.length) return { problem: `${where} lists no operations, so nothing could run.` };
  return { operations };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

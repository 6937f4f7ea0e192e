/**
 * The SDL the server runs, as files, and its parsed form. The build (scripts/build-assets.ts) parses it
 * once into dist/schema/document.json, so that a production start reads JSON instead of parsing ~0.5 MB
 * of SDL with graphql-js (about 50 ms of a one-second start). The file carries a hash of the SDL it was
 * parsed from: a start whose SDL differs (an edited dist/, a run from the sources) parses as before.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentNode } from 'graphql';

export interface SchemaSources {
  /** The SDL texts in order: the hand-written common part, the generated domain files, any other hand-written ones. */
  parts: string[];
  /** What Federation adds (src/__generated__/federation.graphql). */
  federation: string;
}

/** The schema's SDL under `root` (the repository, or dist/ of a build). */
export function readSchemaSources(root: string): SchemaSources {
  const generated = join(root, 'schema', '__generated__');
  const handWritten = readdirSync(join(root, 'schema'))
    .filter((f) => f.endsWith('.graphql') && f !== 'common.graphql')
    .map((f) => join(root, 'schema', f));
  const files = [join(root, 'schema', 'common.graphql'), ...readdirSync(generated).sort().map((f) => join(generated, f)), ...handWritten];
  return {
    parts: files.map((f) => readFileSync(f, 'utf8')),
    federation: readFileSync(join(root, 'src', '__generated__', 'federation.graphql'), 'utf8'),
  };
}

const documentFile = (root: string): string => join(root, 'schema', 'document.json');

function keyOf(sources: SchemaSources): string {
  const hash = createHash('sha256');
  for (const part of sources.parts) hash.update(part).update('\0');
  return hash.update(sources.federation).digest('hex');
}

/** The document the build parsed from exactly these sources, or undefined (none, or from other SDL). */
export function readPrebuiltDocument(root: string, sources: SchemaSources): DocumentNode | undefined {
  const file = documentFile(root);
  if (!existsSync(file)) return undefined;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { key?: unknown; document?: DocumentNode };
  return saved.key === keyOf(sources) ? saved.document : undefined;
}

/** For the build: the parsed document beside the SDL it came from. */
export function writePrebuiltDocument(root: string, sources: SchemaSources, document: DocumentNode): void {
  writeFileSync(documentFile(root), JSON.stringify({ key: keyOf(sources), document }));
}

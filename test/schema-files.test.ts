import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readPrebuiltDocument, readSchemaSources, writePrebuiltDocument } from '../src/schema-files.js';
import { subgraphDocument } from '../src/subgraph.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'schema-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the prebuilt document (dist/schema/document.json)', () => {
  it('serves a start whose SDL is the one it was parsed from, and only that one', () => {
    cpSync(join(repo, 'schema'), join(root, 'schema'), { recursive: true });
    mkdirSync(join(root, 'src', '__generated__'), { recursive: true });
    cpSync(join(repo, 'src', '__generated__', 'federation.graphql'), join(root, 'src', '__generated__', 'federation.graphql'));

    const sources = readSchemaSources(root);
    expect(readPrebuiltDocument(root, sources)).toBeUndefined();
    const parsed = subgraphDocument(sources.parts, sources.federation);
    writePrebuiltDocument(root, sources, parsed);
    expect(readPrebuiltDocument(root, sources)).toEqual(parsed);

    // One character more in any part, or in federation's additions: parse again.
    const edited = { ...sources, parts: sources.parts.map((p, i) => (i === 1 ? `${p} ` : p)) };
    expect(readPrebuiltDocument(root, edited)).toBeUndefined();
    expect(readPrebuiltDocument(root, { ...sources, federation: `${sources.federation}\n` })).toBeUndefined();
  });
});

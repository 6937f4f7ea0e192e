/**
 * Generated files must match what the generators produce from the contract and the definitions:
 * a stale `schema/__generated__` or `src/__generated__` fails the suite.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { generatedFiles, openApiPath } from '../scripts/generate-contract.js';

const root = resolve(import.meta.dirname, '..');
const hasContract = existsSync(openApiPath);

describe.skipIf(!hasContract)(`generated code is up to date (contract: ${openApiPath})`, () => {
  it('matches scripts/generate-contract.ts output', async () => {
    const files = await generatedFiles();
    expect(files.size).toBeGreaterThanOrEqual(4);
    // The record types codegen's mappers point at are generated here too, so they are checked here.
    expect([...files.keys()]).toContain('src/__generated__/records.ts');
    for (const [file, content] of files) {
      const committed = readFileSync(join(root, file), 'utf8');
      expect(committed, `${file} is stale: run npm run generate`).toBe(content);
    }
  });

  it('matches graphql-codegen output (codegen.ts)', async () => {
    const { default: config } = await import('../codegen.js');
    const outputs = await generate({ ...config, cwd: root, silent: true }, false);
    expect(outputs.length).toBe(Object.keys(config.generates).length);
    for (const output of outputs) {
      const committed = readFileSync(resolve(root, output.filename), 'utf8');
      expect(committed, `${output.filename} is stale: run npm run generate`).toBe(output.content);
    }
  }, 120_000);
});

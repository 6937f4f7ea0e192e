/**
 * The resolver map is type-checked against the schema: a resolver for a field the schema lacks, or
 * one that reads a field AMPECO's record lacks, fails `tsc`. Compiles small fixtures written the way
 * src/resolvers/<Type>.ts are, with the project's compiler options; they live in memory only.
 */
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/** A resolver module for ChargePoint with one hand-written field resolver. */
const fixture = (resolver: string): string => `import type { ChargePointResolvers } from '../src/__generated__/resolvers-types.js';
import { typeResolvers } from '../src/resolvers/factory.js';

export const ChargePoint = {
  ...typeResolvers('ChargePoint'),
  ${resolver},
} satisfies ChargePointResolvers;
`;

const fixtures = new Map(
  Object.entries({
    unknownField: fixture(`notAField: () => 'x'`),
    realField: fixture(`name: () => 'x'`),
    recordField: fixture(`name: (parent) => parent.name`),
    unknownRecordField: fixture(`name: (parent) => parent.notOnTheRecord`),
  }).map(([name, text]) => [join(root, 'test', `typecheck-fixture-${name}.ts`), text]),
);

/** One program for all fixtures: the project's files are parsed and bound once. */
function compile(): Map<string, { code: number; message: string }[]> {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const host = ts.createCompilerHost(options);
  const disk = { getSourceFile: host.getSourceFile.bind(host), fileExists: host.fileExists.bind(host), readFile: host.readFile.bind(host) };
  host.getSourceFile = (file, language, ...rest) => {
    const text = fixtures.get(file);
    return text === undefined ? disk.getSourceFile(file, language, ...rest) : ts.createSourceFile(file, text, language);
  };
  host.fileExists = (file) => fixtures.has(file) || disk.fileExists(file);
  host.readFile = (file) => fixtures.get(file) ?? disk.readFile(file);
  const program = ts.createProgram({ rootNames: [...fixtures.keys()], options, host });
  const out = new Map<string, { code: number; message: string }[]>();
  for (const file of fixtures.keys()) {
    const source = program.getSourceFile(file)!;
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    out.set(
      file.slice(join(root, 'test', 'typecheck-fixture-').length, -'.ts'.length),
      diagnostics.map((d) => ({ code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') })),
    );
  }
  return out;
}

describe('resolvers are type-checked against the schema', () => {
  let results: ReturnType<typeof compile>;
  // About five seconds: most of it is parsing the project's files and the DOM and Node typings.
  beforeAll(() => {
    results = compile();
  });

  it('rejects a resolver for a field the schema does not have', () => {
    expect(results.get('unknownField')).toEqual([
      {
        code: 2353,
        message: "Object literal may only specify known properties, and 'notAField' does not exist in type 'ChargePointResolvers'.",
      },
    ]);
  });

  it('accepts the same resolver for a field the schema has', () => {
    expect(results.get('realField')).toEqual([]);
  });

  it("types the parent as AMPECO's record: its fields are known, others are not", () => {
    expect(results.get('recordField')).toEqual([]);
    expect(results.get('unknownRecordField')).toEqual([
      { code: 2339, message: "Property 'notOnTheRecord' does not exist on type 'ChargePointRecord'." },
    ]);
  });
});

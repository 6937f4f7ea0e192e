import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * `npm run generate:client`: graphql-codegen's client preset over the facade's published SDL.
 * It reads the `graphql()` calls in operations.ts and writes __generated__/, where `graphql()` is
 * overloaded per operation text so each call returns a TypedDocumentNode of its result and variables.
 * Paths are relative to the repository root, where the npm script runs.
 */
const config: CodegenConfig = {
  // The same SDL introspection and `_service { sdl }` serve; a client outside this repository can
  // point `schema` at the running facade's URL instead.
  schema: 'src/__generated__/schema.graphql',
  documents: ['examples/typed-client/operations.ts'],
  // `.js` in the generated imports, as NodeNext resolution wants.
  emitLegacyCommonJSImports: false,
  ignoreNoDocuments: false,
  generates: {
    'examples/typed-client/__generated__/': {
      preset: 'client',
      presetConfig: {
        // Fragments here are plain selections; masking only matters for components owning fragments.
        fragmentMasking: false,
      },
      config: {
        // The facade's scalars as they arrive in JSON: ISO strings, and JSON left for the caller to narrow.
        scalars: { DateTime: 'string', Date: 'string', JSON: 'unknown', ID: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;

/**
 * `npm run lint` (part of `npm test`): typescript-eslint's type-checked rules over the TypeScript,
 * and @graphql-eslint's schema rules over the SDL in schema/. Warnings fail the run (--max-warnings 0),
 * so every rule here is either an error or off, and each exception says why.
 */
import { join } from 'node:path';
import js from '@eslint/js';
import graphql from '@graphql-eslint/eslint-plugin';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts', '**/*.tsx'];

/**
 * require-description's own `rootField` option matches nothing once a schema has two root types
 * (@graphql-eslint 4.4.1 joins their names into the regex with ',' instead of '|'), so root fields are
 * required as every FieldDefinition except those of other object types and of interfaces.
 */
const ROOT_FIELDS_ONLY = {
  FieldDefinition: true,
  ignoredSelectors: [
    ':matches(ObjectTypeDefinition, ObjectTypeExtension)[name.value!=/^(Query|Mutation)$/] > FieldDefinition',
    ':matches(InterfaceTypeDefinition, InterfaceTypeExtension) > FieldDefinition',
  ],
};

/** Names in the SDL: the recommended conventions, plus input types that say what they are. */
const NAMING = {
  types: 'PascalCase',
  FieldDefinition: 'camelCase',
  InputValueDefinition: 'camelCase',
  Argument: 'camelCase',
  DirectiveDefinition: 'camelCase',
  EnumValueDefinition: 'UPPER_CASE',
  // `CreateChargePointInput`, `SessionFilterRoamingInput`; listing filters are `LocationFilter`.
  InputObjectTypeDefinition: { style: 'PascalCase', requiredSuffixes: ['Input', 'Filter'] },
  'FieldDefinition[parent.name.value=Query]': { forbiddenPrefixes: ['query', 'get'], forbiddenSuffixes: ['Query'] },
  'FieldDefinition[parent.name.value=Mutation]': { forbiddenPrefixes: ['mutation'], forbiddenSuffixes: ['Mutation'] },
  'EnumTypeDefinition,EnumTypeExtension': { forbiddenPrefixes: ['Enum'], forbiddenSuffixes: ['Enum'] },
  'ObjectTypeDefinition,ObjectTypeExtension': { forbiddenPrefixes: ['Type'], forbiddenSuffixes: ['Type'] },
};

export default defineConfig(
  // Generated TypeScript and the printed SDL are checked where they come from (scripts/contract, codegen.ts,
  // examples/typed-client/codegen.ts); tsc still compiles all of it.
  globalIgnores(['node_modules/', 'dist/', 'coverage/', 'src/__generated__/', 'examples/typed-client/__generated__/']),

  {
    files: ['**/*.js'],
    extends: [js.configs.recommended],
  },

  {
    files: TS,
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The point of the type-checked set here: a promise nobody awaits loses its rejection. One left
      // running on purpose says so: `void` (or a `.catch` that handles it, as the prefetches do) and why.
      '@typescript-eslint/no-floating-promises': 'error',
      // `_name` marks a binding kept for its position or to drop a key from a rest copy.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Passing on what we were given (an AbortSignal's reason, a callback's error) is not inventing a
      // non-Error rejection; only-throw-error allows the same for `throw`.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // An async function with nothing to await is the plain way to implement a promise-returning
      // interface (Apollo's plugin hooks); a forgotten await is what no-floating-promises and
      // no-misused-promises catch.
      '@typescript-eslint/require-await': 'off',
    },
  },

  {
    // The request path. V8 builds object literals with getters or setters outside the young
    // generation, and what they point to (a page's records) then survives every minor GC until a full
    // one: under load that was ~10× the bytes promoted and twice the RSS (#11). A class with the
    // accessor costs nothing.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "Property[kind='get'], Property[kind='set']",
          message: 'An object literal with an accessor is allocated in the old generation and keeps what it points to alive: use a class (see src/datasources/connection-page.ts).',
        },
      ],
    },
  },
  {
    // On the request path, a spread followed by more properties (`{ ...a, b }`) also takes V8's slow
    // path (Node 20): such objects were promoted by the megabyte under load. Module set-up code (the
    // registry, the resolver map) runs once and keeps its spreads.
    files: ['src/datasources/**/*.ts', 'src/resolvers/**/*.ts', 'src/observability/**/*.ts', 'src/limits/**/*.ts', 'src/auth/**/*.ts', 'src/graphql-http.ts', 'src/context.ts'],
    ignores: ['src/datasources/registry.ts', 'src/resolvers/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "Property[kind='get'], Property[kind='set']",
          message: 'An object literal with an accessor is allocated in the old generation and keeps what it points to alive: use a class (see src/datasources/connection-page.ts).',
        },
        {
          selector: 'ObjectExpression > SpreadElement ~ :matches(Property, SpreadElement)',
          message: "A spread followed by more properties (`{ ...a, b }`) takes V8's slow path, and under load its results were promoted by the megabyte: use Object.assign({}, a, { b }).",
        },
      ],
    },
  },

  {
    // Tests read GraphQL and REST answers as untyped JSON (`res.data.chargePoints.edges[0].node.id`,
    // typed `Record<string, any>`): typing every answer would restate the schema in each test, and a
    // wrong path fails the assertion anyway. The rest of the type-checked set (promises, async,
    // base-to-string, enum comparisons, ...) still applies to tests.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  {
    // The hand-written and the generated SDL, checked against the subgraph schema they make together
    // (the plugin builds it with @apollo/subgraph, which knows the directives `@link` imports).
    files: ['schema/**/*.graphql'],
    languageOptions: {
      parser: graphql.parser,
      parserOptions: { graphQLConfig: { schema: join(import.meta.dirname, 'schema/**/*.graphql') } },
    },
    plugins: { '@graphql-eslint': graphql },
    rules: {
      ...graphql.configs['flat/schema-recommended'].rules,
      '@graphql-eslint/naming-convention': ['error', NAMING],
      // Every type, and every field of Query and Mutation, says what it is for.
      '@graphql-eslint/require-description': ['error', { types: true, DirectiveDefinition: true, ...ROOT_FIELDS_ONLY }],
      // Block or inline quotes are the same description to clients; the SDL uses block for types and
      // inline for fields and arguments, which this rule (one style everywhere) cannot express.
      '@graphql-eslint/description-style': 'off',
      // Only resources have identity (and a federation `@key`). Embedded values (a geoposition, a price
      // breakdown), connections, edges, payloads and PageInfo have no id of their own in AMPECO either.
      '@graphql-eslint/strict-id-in-types': 'off',
      // Mutations address the record by id arguments (`updateLocation(id:, input:)`, AMPECO's path) and
      // carry the body in `input`; this rule wants every argument to be `input`. Input type names are
      // held to `*Input`/`*Filter` by naming-convention (NAMING) instead.
      '@graphql-eslint/input-name': 'off',
      // alphabetize is deliberately not enabled: fields follow AMPECO's contract order.
    },
  },

  {
    // Generated fields carry AMPECO's property names verbatim (default resolvers read the record's key
    // of the same name); where one starts with its type's name that is the concept, not a stutter:
    // `User.userGroupIds` are user-group ids, `Translation.translation` is the translated text.
    files: ['schema/__generated__/*.graphql'],
    rules: { '@graphql-eslint/no-typename-prefix': 'off' },
  },
);

/**
 * `npm run build`: the runtime as JavaScript in dist/, laid out like the sources (dist/src, dist/simulator,
 * dist/schema), so every file the runtime finds relative to its own module (the SDL, src/__generated__/*.json,
 * GraphiQL's app.tsx) is found there too.
 *
 * TypeScript is transpiled file by file with esbuild (~0.2 s here) rather than emitted by tsc (~7 s, most of it
 * type-checking, which `npm run typecheck` and the lint already do). Per-file transpiling is safe because the
 * sources are written for it (`isolatedModules`, `import type`), and it keeps the layout: no bundle.
 * Everything under src/ and simulator/ that is not transpiled is copied as it is, and so is schema/.
 * The SDL is parsed once into dist/schema/document.json (see src/schema-files.ts).
 * Last, GraphiQL is bundled through dist's own bundle.js: that proves it finds its entry from dist, and it
 * fills the disk cache, so the first `GET /` after `npm start` does not wait for esbuild.
 */
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { TRANSPILE } from './transpile-options.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const SOURCES = ['src', 'simulator'];
const started = performance.now();
const since = (t: number): string => `${Math.round(performance.now() - t)} ms`;

// A clean tree: a source deleted or renamed must not live on as a stale .js.
rmSync(dist, { recursive: true, force: true });

const transpiled = await esbuild.build({
  ...TRANSPILE,
  entryPoints: SOURCES.map((dir) => `${dir}/**/*.ts`),
  outdir: dist,
  sourcemap: true,
  metafile: true,
});
const jsFiles = Object.keys(transpiled.metafile.outputs).filter((f) => f.endsWith('.js')).length;

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

let copied = 0;
const copy = (from: string): void => {
  cpSync(from, join(dist, relative(root, from)));
  copied++;
};
for (const dir of SOURCES) {
  for (const file of files(join(root, dir))) if (!file.endsWith('.ts')) copy(file);
}
for (const file of files(join(root, 'schema'))) copy(file);
console.log(`dist/: ${jsFiles} modules transpiled, ${copied} files copied in ${since(started)}`);

// The SDL parsed once, here, rather than at every start (src/schema-files.ts), by dist's own modules.
const documentStarted = performance.now();
const schemaFiles = (await import(pathToFileURL(join(dist, 'src', 'schema-files.js')).href)) as typeof import('../src/schema-files.js');
const subgraph = (await import(pathToFileURL(join(dist, 'src', 'subgraph.js')).href)) as typeof import('../src/subgraph.js');
const sources = schemaFiles.readSchemaSources(dist);
schemaFiles.writePrebuiltDocument(dist, sources, subgraph.subgraphDocument(sources.parts, sources.federation));
console.log(`dist/schema/document.json: the SDL parsed in ${since(documentStarted)}`);

const graphiqlStarted = performance.now();
const bundle = (await import(pathToFileURL(join(dist, 'src', 'graphiql', 'bundle.js')).href)) as typeof import('../src/graphiql/bundle.js');
const assets = await bundle.buildGraphiqlAssets();
console.log(`GraphiQL bundle (${(assets.js.length / 1048576).toFixed(1)} MB) ready in the disk cache in ${since(graphiqlStarted)}`);

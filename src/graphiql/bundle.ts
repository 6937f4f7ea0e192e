/**
 * Bundles the GraphiQL page (app.tsx + graphiql/style.css) with esbuild, in memory, once per process.
 *
 * graphiql 4 (CodeMirror 5) needs no workers and its stylesheet embeds its fonts as data URLs, so one
 * JS file and one CSS file are the whole page. Code splitting stays off (nothing would load the chunks).
 *
 * The result is also cached on disk under node_modules/.cache/ampeco-graph/graphiql/<key>/, the key
 * covering the graphiql, @graphiql/react and esbuild versions and the app.tsx source, so restarts skip
 * the ~1 s build. Set AMPECO_GRAPHIQL_DISK_CACHE=0 to bypass it. Disk errors only cost the cache.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GraphiqlAssets {
  js: string;
  css: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
// The build copies app.tsx beside dist/src/graphiql/bundle.js, so the entry is beside this module either way.
const entry = path.join(here, 'app.tsx');
const projectRoot = findProjectRoot(here);
const require = createRequire(import.meta.url);

let assets: Promise<GraphiqlAssets> | undefined;

/** The bundled page assets; built (or read from the disk cache) on first call, then shared. */
export function buildGraphiqlAssets(): Promise<GraphiqlAssets> {
  assets ??= loadAssets().catch((error: unknown) => {
    assets = undefined; // let a later request retry instead of caching the failure
    throw error;
  });
  return assets;
}

async function loadAssets(): Promise<GraphiqlAssets> {
  const useDisk = process.env.AMPECO_GRAPHIQL_DISK_CACHE !== '0';
  const dir = useDisk ? await cacheDir() : undefined;
  if (dir) {
    const cached = await readCache(dir);
    if (cached) return cached;
  }
  const built = await bundle();
  if (dir) await writeCache(dir, built);
  return built;
}

/** The directory of package.json: two levels up from src/graphiql, three from dist/src/graphiql (the cache lives beside its node_modules). */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..', '..');
  }
}

async function bundle(): Promise<GraphiqlAssets> {
  // Loaded here, not at start: ~30 ms of start-up, and a process whose page comes from the disk cache never needs it.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    outdir: 'out', // only names the in-memory outputs: out/app.js, out/app.css
    platform: 'browser',
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    minify: true,
    splitting: false,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    absWorkingDir: projectRoot,
  });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const css = result.outputFiles.find((file) => file.path.endsWith('.css'));
  if (!js || !css) throw new Error(`graphiql bundle: expected app.js and app.css, got ${result.outputFiles.map((f) => f.path).join(', ')}`);
  return { js: js.text, css: css.text };
}

function versionOf(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function cacheDir(): Promise<string | undefined> {
  try {
    const source = await readFile(entry);
    const key = createHash('sha256')
      .update(['graphiql', '@graphiql/react', '@graphiql/toolkit', 'react-dom', 'esbuild'].map((p) => `${p}@${versionOf(p)}`).join('\n'))
      .update(source)
      .digest('hex')
      .slice(0, 16);
    return path.join(projectRoot, 'node_modules', '.cache', 'ampeco-graph', 'graphiql', `${versionOf('graphiql')}-${key}`);
  } catch {
    return undefined;
  }
}

async function readCache(dir: string): Promise<GraphiqlAssets | undefined> {
  try {
    const [js, css] = await Promise.all([readFile(path.join(dir, 'app.js'), 'utf8'), readFile(path.join(dir, 'app.css'), 'utf8')]);
    return js && css ? { js, css } : undefined;
  } catch {
    return undefined;
  }
}

async function writeCache(dir: string, built: GraphiqlAssets): Promise<void> {
  // Write into a private directory, then rename it into place: concurrent processes never see half a cache.
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    await mkdir(tmp, { recursive: true });
    await writeFile(path.join(tmp, 'app.js'), built.js);
    await writeFile(path.join(tmp, 'app.css'), built.css);
    await rename(tmp, dir);
  } catch {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * How TypeScript becomes the JavaScript that runs: esbuild, file by file, laid out like the sources. Shared
 * by `npm run build` (scripts/build-assets.ts) and the benchmark's ceiling server (bench/part-load.ts), so
 * the two are built the same way.
 */
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

export const TRANSPILE = {
  outbase: root,
  absWorkingDir: root,
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  logLevel: 'warning',
} satisfies BuildOptions;

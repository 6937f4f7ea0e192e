/**
 * The reduced contract with every schema whole (records, request and answer bodies, constraints), as
 * `npm run generate` wrote it for the simulator: it fabricates and validates with these. The facade
 * itself loads the compact src/__generated__/graph.json.
 */
import { readFileSync } from 'node:fs';
import type { Contract } from '../src/definitions/contract-model.js';

export const contract = JSON.parse(readFileSync(new URL('./__generated__/contract.json', import.meta.url), 'utf8')) as Contract;

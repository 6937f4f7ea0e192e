/**
 * The derived definitions and the reduced contract, as `npm run generate` wrote them to
 * `src/__generated__/graph.json`. The runtime, the simulator and codegen read them from here; only
 * the generator (scripts/) reads AMPECO's OpenAPI document itself.
 */
import { readFileSync } from 'node:fs';
import type { Contract } from './contract-model.js';
import type { Definitions } from './model.js';

interface GraphArtifact {
  definitions: Definitions;
  contract: Contract;
}

// Read, not imported: JSON modules need import attributes (experimental on Node 20), and the file is
// data that the production build copies beside the compiled code (src/__generated__/).
const artifact = JSON.parse(readFileSync(new URL('../__generated__/graph.json', import.meta.url), 'utf8')) as GraphArtifact;

export const definitions: Definitions = artifact.definitions;
export const contract: Contract = artifact.contract;
export const { resources, views, actions } = artifact.definitions;

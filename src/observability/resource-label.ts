/**
 * A coarse, bounded metric label for an upstream path: `locations`, `locations/charging-zones`,
 * `actions/charge-point/start`. Ids never become labels: only labels derived from the contract's own
 * path templates are used, anything else is `other`.
 */
import { contract } from '../definitions/graph.js';

const VERSION = /^v\d+(\.\d+)*$/;

/**
 * The literal segments of a path after its API version, skipping the id that follows each of them:
 * `/public-api/resources/locations/v2.0/{location}/charging-zones/{id}` -> `locations/charging-zones`.
 */
function labelOf(path: string): string | undefined {
  const segments = path.split('/').filter(Boolean);
  if (segments[0] !== 'public-api' || segments.length < 4) return undefined;
  const [, kind, name, version, ...rest] = segments;
  if (!name || !version || !VERSION.test(version)) return undefined;
  // After the version, ids and names alternate: {id}/name/{id}/name.
  const names = rest.filter((_, i) => i % 2 === 1);
  return [kind === 'resources' ? undefined : kind, name, ...names].filter(Boolean).join('/');
}

const KNOWN = new Set(
  [...Object.values(contract.resources).flatMap((r) => Object.values(r.operations)), ...Object.values(contract.actions)]
    .map((op) => (op ? labelOf(op.path) : undefined))
    .filter((label): label is string => label !== undefined),
);

/** Labels of paths seen lately: most calls repeat a listing's path. Bounded: item paths carry ids. */
const recent = new Map<string, string>();
const MAX_RECENT = 512;

export function resourceLabel(path: string): string {
  let known = recent.get(path);
  if (known === undefined) {
    const label = labelOf(path.split(/[?#]/, 1)[0] ?? '');
    known = label !== undefined && KNOWN.has(label) ? label : 'other';
    if (recent.size >= MAX_RECENT) recent.clear();
    recent.set(path, known);
  }
  return known;
}

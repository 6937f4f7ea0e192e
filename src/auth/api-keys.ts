/**
 * API keys: configured as `label:scope:sha256hex` entries (FACADE_API_KEYS), never as the keys
 * themselves, so a leaked environment or config file does not leak a usable credential.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Scope } from './principal.js';

export interface ApiKeyEntry {
  /** Names the key in logs and in the principal; never secret. */
  label: string;
  scope: Scope;
  /** SHA-256 of the key, 64 lower-case hex characters. */
  sha256: string;
}

/** The hash FACADE_API_KEYS holds for a key (what `npm run -s hash-api-key` prints). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const LABEL = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/i;
const EXAMPLE = 'label:read:<sha256 hex> or label:write:<sha256 hex>';

/**
 * Parses `label:scope:sha256hex` entries separated by commas (or new lines). Problems name the
 * entry by position and label only: an entry may be a key pasted by mistake and must not reach logs.
 */
export function parseApiKeys(raw: string, problems: string[]): ApiKeyEntry[] {
  const entries: ApiKeyEntry[] = [];
  const problemsBefore = problems.length;
  const labels = new Set<string>();
  const hashes = new Set<string>();
  const parts = raw.split(/[,\n]/).map((p) => p.trim());
  parts.forEach((entry, i) => {
    if (!entry) return;
    const where = `FACADE_API_KEYS entry ${i + 1}`;
    const fields = entry.split(':').map((f) => f.trim());
    if (fields.length !== 3) {
      problems.push(`${where} must be ${EXAMPLE}.`);
      return;
    }
    const [label, scope, hash] = fields as [string, string, string];
    if (!LABEL.test(label)) {
      problems.push(`${where}: the label must be 1 to 64 letters, digits, ".", "_", "-" or "@", starting with a letter or digit.`);
      return;
    }
    const named = `${where} ("${label}")`;
    const bad: string[] = [];
    const validScope: Scope | undefined = scope === 'read' || scope === 'write' ? scope : undefined;
    if (!validScope) bad.push('the scope must be read or write');
    if (!SHA256_HEX.test(hash)) bad.push("the last part must be the key's SHA-256 as 64 hex characters (npm run -s hash-api-key prints it), not the key itself");
    if (labels.has(label)) bad.push('the label is used by an earlier entry');
    if (SHA256_HEX.test(hash) && hashes.has(hash.toLowerCase())) bad.push('the same key is listed by an earlier entry');
    if (bad.length || !validScope) {
      problems.push(`${named}: ${bad.join('; ')}.`);
      return;
    }
    labels.add(label);
    hashes.add(hash.toLowerCase());
    entries.push({ label, scope: validScope, sha256: hash.toLowerCase() });
  });
  if (!entries.length && problems.length === problemsBefore) problems.push(`FACADE_API_KEYS has no entries; expected ${EXAMPLE}.`);
  return entries;
}

/** Finds the entry a presented key belongs to. */
export function apiKeyMatcher(entries: readonly ApiKeyEntry[]): (presented: string) => ApiKeyEntry | undefined {
  const digests = entries.map((entry) => ({ entry, digest: Buffer.from(entry.sha256, 'hex') }));
  return (presented) => {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let found: ApiKeyEntry | undefined;
    // Every entry is compared, each in constant time: how long a miss takes says nothing about the keys.
    for (const candidate of digests) {
      if (timingSafeEqual(digest, candidate.digest) && !found) found = candidate.entry;
    }
    return found;
  };
}

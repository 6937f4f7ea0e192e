/** Client authentication settings (FACADE_AUTH and friends). Placeholder: filled in by the auth work. */
import type { EnvReader } from '../config-env.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AuthConfig {}

export function parseAuthConfig(_read: EnvReader, _context: { serverToken: boolean; onSimulator: boolean }): AuthConfig {
  return {};
}

/**
 * Typed readers of environment variables that collect problems instead of throwing at the first.
 * The readers are closures (no `this`), typed as properties so they can be destructured.
 */
export interface EnvReader {
  env: NodeJS.ProcessEnv;
  /** Every problem found so far, one human-readable sentence each. */
  problems: string[];
  /** A whole number in [min, max], or the fallback when unset or empty. */
  int: (name: string, fallback: number, min: number, max: number) => number;
  /** true/false (also 1/0, yes/no, on/off), or the fallback when unset or empty. */
  bool: (name: string, fallback: boolean) => boolean;
  /** One of the allowed values (case-insensitive), or the fallback when unset or empty. */
  oneOf: <T extends string>(name: string, allowed: readonly T[], fallback: T) => T;
  /** The trimmed value, or undefined when unset or empty. */
  str: (name: string) => string | undefined;
}

export function envReader(env: NodeJS.ProcessEnv): EnvReader {
  const problems: string[] = [];
  const str = (name: string): string | undefined => env[name]?.trim() || undefined;
  return {
    env,
    problems,
    str,
    int(name, fallback, min, max) {
      const raw = str(name);
      if (raw === undefined) return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        problems.push(`${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
        return fallback;
      }
      return value;
    },
    bool(name, fallback) {
      const raw = str(name)?.toLowerCase();
      if (raw === undefined) return fallback;
      if (['true', '1', 'yes', 'on'].includes(raw)) return true;
      if (['false', '0', 'no', 'off'].includes(raw)) return false;
      problems.push(`${name} must be true or false; got "${raw}".`);
      return fallback;
    },
    oneOf(name, allowed, fallback) {
      const raw = str(name)?.toLowerCase();
      if (raw === undefined) return fallback;
      const hit = allowed.find((a) => a.toLowerCase() === raw);
      if (hit === undefined) {
        problems.push(`${name} must be one of ${allowed.join(', ')}; got "${raw}".`);
        return fallback;
      }
      return hit;
    },
  };
}

/** Names derived from a GraphQL type name, shared by the SDL generator and the resolvers. */

export const lowerFirst = (s: string): string => s.replace(/^./, (c) => c.toLowerCase());

const words = (typeName: string): string => typeName.replace(/([a-z0-9])([A-Z])/g, '$1 $2');

/** Acronyms that read better upper-case in prose. */
const LABELS: Record<string, string> = { Evse: 'EVSE' };

const pluralize = (s: string): string =>
  /[^aeiou]y$/.test(s) ? `${s.slice(0, -1)}ies` : /(s|x|ch|sh)$/.test(s) ? `${s}es` : `${s}s`;

export interface Naming {
  /** Root field for one record: `chargePoint`. */
  single: string;
  /** Root field for the listing: `chargePoints`. */
  plural: string;
  /** Prose: `charge point`. */
  label: string;
  pluralLabel: string;
  pluralTitle: string;
}

export function naming(typeName: string): Naming {
  const label = LABELS[typeName] ?? words(typeName).toLowerCase();
  const pluralLabel = LABELS[typeName] ? `${label}s` : pluralize(label);
  return {
    single: lowerFirst(typeName),
    plural: pluralize(lowerFirst(typeName)),
    label,
    pluralLabel,
    pluralTitle: pluralLabel.replace(/^./, (c) => c.toUpperCase()),
  };
}

/**
 * The GraphQL name of an AMPECO field: `first_name` -> `firstName` (the schema is camelCase; the few
 * snake_case keys in AMPECO's contract are renamed, and mapped back on the way out and in).
 */
export const graphqlFieldName = (key: string): string => key.replace(/_+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

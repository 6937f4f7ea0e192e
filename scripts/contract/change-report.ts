/**
 * What changed between two generations of the facade: the GraphQL surface (from the SDL the generator
 * writes) and AMPECO's operations (from the OpenAPI document). Pure: the generator passes in both
 * snapshots and the overlay entries it could not place, and prints `renderChangeReport`.
 *
 * The SDL is a federation subgraph's (`@key`, `@link`, `extend type Query` in several files), so it is
 * not built into a validated schema: it is parsed and its AST walked, definitions and extensions merged
 * by type name. Descriptions and directives are left out of the comparison: AMPECO rewords its prose
 * every release, and what a reviewer must check is the shape clients see.
 */
import {
  Kind,
  parse,
  print,
  type DefinitionNode,
  type EnumValueDefinitionNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type NamedTypeNode,
} from 'graphql';

export interface OperationSummary {
  operationId: string;
  /** Upper case: `GET`, `POST`, ... */
  method: string;
  /** The path template as the contract writes it, e.g. `/public-api/resources/evses/v2.1/{evse}`. */
  path: string;
  deprecated: boolean;
}

export interface ContractSnapshot {
  /** AMPECO's contract version (`info.version`). */
  version: string;
  /** Every SDL file of the subgraph, concatenated. */
  sdl: string;
  operations: OperationSummary[];
}

export type TypeKind = 'object' | 'input' | 'enum' | 'union' | 'interface' | 'scalar';

export interface TypeEntry {
  name: string;
  kind: TypeKind;
}

/** An enum value or a union member: `owner` is the enum or union. */
export interface ValueEntry {
  owner: string;
  name: string;
}

/**
 * A field, an argument or an input field. `owner` is the type (for an argument: `Type.field`); `type` is
 * the GraphQL type as written (`[String!]!`), with ` = default` for arguments and input fields, since a
 * changed default changes what clients get.
 */
export interface TypedEntry extends ValueEntry {
  type: string;
}

/** A field added or removed, with its arguments (`first: Int = 25`), which are not listed on their own. */
export interface FieldEntry extends TypedEntry {
  arguments: string[];
}

export interface RetypedEntry extends ValueEntry {
  before: string;
  after: string;
}

export interface MemberChanges<Entry> {
  added: Entry[];
  removed: Entry[];
  retyped: RetypedEntry[];
}

export interface OperationMove {
  operationId: string;
  before: { method: string; path: string };
  after: { method: string; path: string };
}

export interface ChangeReport {
  versions: { before: string; after: string };
  /** A type whose kind changed (an enum became an object) is removed and added, its members not compared. */
  types: { added: TypeEntry[]; removed: TypeEntry[] };
  /** Fields of object types and interfaces. */
  fields: MemberChanges<FieldEntry>;
  /** Arguments of fields that exist on both sides. */
  arguments: MemberChanges<TypedEntry>;
  inputFields: MemberChanges<TypedEntry>;
  enumValues: { added: ValueEntry[]; removed: ValueEntry[] };
  unionMembers: { added: ValueEntry[]; removed: ValueEntry[] };
  operations: {
    added: OperationSummary[];
    removed: OperationSummary[];
    /** Deprecated now, not before (operations new in this contract are only listed as added). */
    deprecated: OperationSummary[];
    /** Same operationId, another method or path. */
    changed: OperationMove[];
  };
  /** Entries of the hand-kept overlay that no longer match the contract, as the generator worded them. */
  overlayMisses: string[];
}

// ---------------------------------------------------------------------------------------------------
// OpenAPI operations

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The operations of an OpenAPI 3.0 document, in document order. An operation without an operationId
 * (AMPECO's have one, but the contract does not promise it) is keyed by `METHOD path`, so that it still
 * shows up as new or gone rather than vanishing from the report.
 */
export function operationsOf(doc: unknown): OperationSummary[] {
  const paths = isRecord(doc) && isRecord(doc.paths) ? doc.paths : {};
  const out: OperationSummary[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isRecord(op)) continue;
      const upper = method.toUpperCase();
      const id = typeof op.operationId === 'string' && op.operationId !== '' ? op.operationId : `${upper} ${path}`;
      out.push({ operationId: id, method: upper, path, deprecated: op.deprecated === true });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// SDL model

interface FieldShape {
  type: string;
  /** Argument name -> type string with default. */
  args: Map<string, string>;
}

interface TypeShape {
  kind: TypeKind;
  /** object/interface: fields; input: input fields (no arguments). */
  fields: Map<string, FieldShape>;
  /** enum values or union members. */
  values: Set<string>;
}

function inputValueType(node: InputValueDefinitionNode): string {
  return node.defaultValue ? `${print(node.type)} = ${print(node.defaultValue)}` : print(node.type);
}

function fieldShape(node: FieldDefinitionNode): FieldShape {
  return { type: print(node.type), args: new Map((node.arguments ?? []).map((a) => [a.name.value, inputValueType(a)])) };
}

/** Which kind a definition or extension node contributes, and its members; undefined for the rest. */
function typePart(
  node: DefinitionNode,
): { name: string; kind: TypeKind; fields?: readonly FieldDefinitionNode[]; inputs?: readonly InputValueDefinitionNode[]; values?: readonly (EnumValueDefinitionNode | NamedTypeNode)[] } | undefined {
  switch (node.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
      return { name: node.name.value, kind: 'object', fields: node.fields };
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_EXTENSION:
      return { name: node.name.value, kind: 'interface', fields: node.fields };
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
    case Kind.INPUT_OBJECT_TYPE_EXTENSION:
      return { name: node.name.value, kind: 'input', inputs: node.fields };
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_EXTENSION:
      return { name: node.name.value, kind: 'enum', values: node.values };
    case Kind.UNION_TYPE_DEFINITION:
    case Kind.UNION_TYPE_EXTENSION:
      return { name: node.name.value, kind: 'union', values: node.types };
    case Kind.SCALAR_TYPE_DEFINITION:
    case Kind.SCALAR_TYPE_EXTENSION:
      return { name: node.name.value, kind: 'scalar' };
    default:
      return undefined; // schema definitions/extensions, directive definitions, executable definitions
  }
}

/** Every named type of the SDL, definitions and `extend` blocks merged by name. */
function typesOf(sdl: string): Map<string, TypeShape> {
  const types = new Map<string, TypeShape>();
  for (const node of parse(sdl, { noLocation: true }).definitions) {
    const part = typePart(node);
    if (!part) continue;
    let shape = types.get(part.name);
    if (!shape) {
      shape = { kind: part.kind, fields: new Map(), values: new Set() };
      types.set(part.name, shape);
    } else if (shape.kind !== part.kind) {
      // Not a valid schema; say so instead of comparing a merged chimera.
      throw new Error(`SDL defines ${part.name} both as ${shape.kind} and as ${part.kind}.`);
    }
    for (const f of part.fields ?? []) shape.fields.set(f.name.value, fieldShape(f));
    for (const i of part.inputs ?? []) shape.fields.set(i.name.value, { type: inputValueType(i), args: new Map() });
    for (const v of part.values ?? []) shape.values.add(v.name.value);
  }
  return types;
}

// ---------------------------------------------------------------------------------------------------
// Diff

/** Code-unit order: the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const byOwnerName = (a: ValueEntry, b: ValueEntry): number => compare(a.owner, b.owner) || compare(a.name, b.name);

function emptyMembers<Entry>(): MemberChanges<Entry> {
  return { added: [], removed: [], retyped: [] };
}

function argumentList(args: Map<string, string>): string[] {
  return [...args].map(([name, type]) => `${name}: ${type}`);
}

/** Added, removed and retyped entries between two name -> type maps. */
function diffTyped(owner: string, before: Map<string, string>, after: Map<string, string>, into: MemberChanges<TypedEntry>): void {
  for (const [name, type] of after) {
    const old = before.get(name);
    if (old === undefined) into.added.push({ owner, name, type });
    else if (old !== type) into.retyped.push({ owner, name, before: old, after: type });
  }
  for (const [name, type] of before) if (!after.has(name)) into.removed.push({ owner, name, type });
}

function diffValues(owner: string, before: Set<string>, after: Set<string>, into: { added: ValueEntry[]; removed: ValueEntry[] }): void {
  for (const name of after) if (!before.has(name)) into.added.push({ owner, name });
  for (const name of before) if (!after.has(name)) into.removed.push({ owner, name });
}

function diffFields(owner: string, before: TypeShape, after: TypeShape, report: ChangeReport): void {
  for (const [name, field] of after.fields) {
    const old = before.fields.get(name);
    if (!old) {
      report.fields.added.push({ owner, name, type: field.type, arguments: argumentList(field.args) });
      continue;
    }
    if (old.type !== field.type) report.fields.retyped.push({ owner, name, before: old.type, after: field.type });
    diffTyped(`${owner}.${name}`, old.args, field.args, report.arguments);
  }
  for (const [name, field] of before.fields) {
    if (!after.fields.has(name)) report.fields.removed.push({ owner, name, type: field.type, arguments: argumentList(field.args) });
  }
}

function diffOperations(before: OperationSummary[], after: OperationSummary[], into: ChangeReport['operations']): void {
  // First occurrence wins should a document repeat an operationId (invalid OpenAPI, but then stable).
  const index = (ops: OperationSummary[]): Map<string, OperationSummary> => {
    const map = new Map<string, OperationSummary>();
    for (const op of ops) if (!map.has(op.operationId)) map.set(op.operationId, op);
    return map;
  };
  const old = index(before);
  const now = index(after);
  for (const [id, op] of now) {
    const was = old.get(id);
    if (!was) {
      into.added.push(op);
      continue;
    }
    if (op.deprecated && !was.deprecated) into.deprecated.push(op);
    if (op.method !== was.method || op.path !== was.path) {
      into.changed.push({ operationId: id, before: { method: was.method, path: was.path }, after: { method: op.method, path: op.path } });
    }
  }
  for (const [id, op] of old) if (!now.has(id)) into.removed.push(op);
  const byId = (a: { operationId: string }, b: { operationId: string }): number => compare(a.operationId, b.operationId);
  into.added.sort(byId);
  into.removed.sort(byId);
  into.deprecated.sort(byId);
  into.changed.sort(byId);
}

export function diffContracts(before: ContractSnapshot, after: ContractSnapshot, overlayMisses: string[]): ChangeReport {
  const report: ChangeReport = {
    versions: { before: before.version, after: after.version },
    types: { added: [], removed: [] },
    fields: emptyMembers(),
    arguments: emptyMembers(),
    inputFields: emptyMembers(),
    enumValues: { added: [], removed: [] },
    unionMembers: { added: [], removed: [] },
    operations: { added: [], removed: [], deprecated: [], changed: [] },
    overlayMisses: [...new Set(overlayMisses)].sort(compare),
  };

  const old = typesOf(before.sdl);
  const now = typesOf(after.sdl);
  for (const [name, shape] of now) {
    const was = old.get(name);
    if (!was || was.kind !== shape.kind) {
      report.types.added.push({ name, kind: shape.kind });
      if (was) report.types.removed.push({ name, kind: was.kind });
      continue;
    }
    if (shape.kind === 'object' || shape.kind === 'interface') diffFields(name, was, shape, report);
    else if (shape.kind === 'input') {
      const types = (s: TypeShape): Map<string, string> => new Map([...s.fields].map(([n, f]) => [n, f.type]));
      diffTyped(name, types(was), types(shape), report.inputFields);
    } else if (shape.kind === 'enum') diffValues(name, was.values, shape.values, report.enumValues);
    else if (shape.kind === 'union') diffValues(name, was.values, shape.values, report.unionMembers);
  }
  for (const [name, shape] of old) if (!now.has(name)) report.types.removed.push({ name, kind: shape.kind });

  const byName = (a: TypeEntry, b: TypeEntry): number => compare(a.name, b.name);
  report.types.added.sort(byName);
  report.types.removed.sort(byName);
  for (const members of [report.fields, report.arguments, report.inputFields]) {
    members.added.sort(byOwnerName);
    members.removed.sort(byOwnerName);
    members.retyped.sort(byOwnerName);
  }
  for (const values of [report.enumValues, report.unionMembers]) {
    values.added.sort(byOwnerName);
    values.removed.sort(byOwnerName);
  }

  diffOperations(before.operations, after.operations, report.operations);
  return report;
}

export function hasChanges(report: ChangeReport): boolean {
  const { types, fields, arguments: args, inputFields, enumValues, unionMembers, operations, overlayMisses } = report;
  const lists: unknown[][] = [
    types.added,
    types.removed,
    ...[fields, args, inputFields].flatMap((m) => [m.added, m.removed, m.retyped]),
    ...[enumValues, unionMembers].flatMap((v) => [v.added, v.removed]),
    operations.added,
    operations.removed,
    operations.deprecated,
    operations.changed,
    overlayMisses,
  ];
  return lists.some((list) => list.length > 0);
}

// ---------------------------------------------------------------------------------------------------
// Text

const KEYWORD: Record<TypeKind, string> = { object: 'type', input: 'input', enum: 'enum', union: 'union', interface: 'interface', scalar: 'scalar' };

/** `+3 -1 ~2`, zero counts left out. */
function counts(parts: [sign: string, n: number][]): string {
  return parts
    .filter(([, n]) => n > 0)
    .map(([sign, n]) => `${sign}${n}`)
    .join(' ');
}

/** Lines of one section, ordered by what they concern, so that one type's changes sit together. */
function lines(entries: { key: string; rank: number; text: string }[]): string[] {
  return entries.sort((a, b) => compare(a.key, b.key) || a.rank - b.rank).map((e) => `  ${e.text}`);
}

function memberSection(title: string, changes: MemberChanges<TypedEntry | FieldEntry>, show: (e: TypedEntry | FieldEntry) => string, showName: (e: ValueEntry) => string): string[] {
  const { added, removed, retyped } = changes;
  if (!added.length && !removed.length && !retyped.length) return [];
  return [
    `${title}: ${counts([['+', added.length], ['-', removed.length], ['~', retyped.length]])}`,
    ...lines([
      ...added.map((e) => ({ key: `${e.owner}.${e.name}`, rank: 0, text: `+ ${show(e)}` })),
      ...removed.map((e) => ({ key: `${e.owner}.${e.name}`, rank: 1, text: `- ${show(e)}` })),
      ...retyped.map((e) => ({ key: `${e.owner}.${e.name}`, rank: 2, text: `~ ${showName(e)}: ${e.before} -> ${e.after}` })),
    ]),
  ];
}

function valueSection(title: string, changes: { added: ValueEntry[]; removed: ValueEntry[] }, show: (e: ValueEntry) => string): string[] {
  const { added, removed } = changes;
  if (!added.length && !removed.length) return [];
  return [
    `${title}: ${counts([['+', added.length], ['-', removed.length]])}`,
    ...lines([
      ...added.map((e) => ({ key: `${e.owner}.${e.name}`, rank: 0, text: `+ ${show(e)}` })),
      ...removed.map((e) => ({ key: `${e.owner}.${e.name}`, rank: 1, text: `- ${show(e)}` })),
    ]),
  ];
}

const operationText = (op: OperationSummary): string => `${op.operationId} ${op.method} ${op.path}${op.deprecated ? ' (deprecated)' : ''}`;

function operationSection(ops: ChangeReport['operations']): string[] {
  const { added, removed, deprecated, changed } = ops;
  if (!added.length && !removed.length && !deprecated.length && !changed.length) return [];
  return [
    `Operations: ${counts([['+', added.length], ['-', removed.length], ['~', changed.length], ['!', deprecated.length]])}`,
    ...lines([
      ...added.map((op) => ({ key: op.operationId, rank: 0, text: `+ ${operationText(op)}` })),
      ...removed.map((op) => ({ key: op.operationId, rank: 1, text: `- ${operationText(op)}` })),
      ...changed.map((m) => ({
        key: m.operationId,
        rank: 2,
        text: `~ ${m.operationId}: ${m.before.method} ${m.before.path} -> ${m.after.method} ${m.after.path}`,
      })),
      ...deprecated.map((op) => ({ key: op.operationId, rank: 3, text: `! ${operationText(op)}` })),
    ]),
  ];
}

/**
 * The report as text for a maintainer: a heading with both versions, then one section per kind of
 * change with its counts (`Types: +3 -1`) and one line per change (`+` added, `-` removed, `~` changed,
 * `!` newly deprecated, `?` overlay entry matching nothing); `No changes.` when there is none.
 */
export function renderChangeReport(report: ChangeReport): string {
  const { before, after } = report.versions;
  const heading = before === after ? `AMPECO contract ${after}` : `AMPECO contract ${before} -> ${after}`;
  if (!hasChanges(report)) return `${heading}\nNo changes.\n`;

  const fieldText = (e: TypedEntry | FieldEntry): string => {
    const args = 'arguments' in e && e.arguments.length ? `(${e.arguments.join(', ')})` : '';
    return `${e.owner}.${e.name}${args}: ${e.type}`;
  };
  const dotted = (e: ValueEntry): string => `${e.owner}.${e.name}`;
  const argument = (e: TypedEntry): string => `${e.owner}(${e.name}: ${e.type})`;
  const argumentName = (e: ValueEntry): string => `${e.owner}(${e.name})`;

  const { types } = report;
  const sections = [
    types.added.length || types.removed.length
      ? [
          `Types: ${counts([['+', types.added.length], ['-', types.removed.length]])}`,
          ...lines([
            ...types.added.map((t) => ({ key: t.name, rank: 0, text: `+ ${KEYWORD[t.kind]} ${t.name}` })),
            ...types.removed.map((t) => ({ key: t.name, rank: 1, text: `- ${KEYWORD[t.kind]} ${t.name}` })),
          ]),
        ]
      : [],
    memberSection('Fields', report.fields, fieldText, dotted),
    memberSection('Arguments', report.arguments, argument, argumentName),
    memberSection('Input fields', report.inputFields, fieldText, dotted),
    valueSection('Enum values', report.enumValues, dotted),
    valueSection('Union members', report.unionMembers, (e) => `${e.owner} | ${e.name}`),
    operationSection(report.operations),
    report.overlayMisses.length ? [`Overlay misses: ${report.overlayMisses.length}`, ...report.overlayMisses.map((m) => `  ? ${m}`)] : [],
  ];
  return `${[heading, ...sections.flat()].join('\n')}\n`;
}

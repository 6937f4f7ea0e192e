/**
 * Reads ahead in the query: which fields of the current field's result are selected. The
 * datasource uses it to embed with include[] / with* flags only what is asked for, and to skip
 * a fetch whose answer the query does not need.
 */
import { getArgumentValues } from 'graphql/execution/values.js';
import { getNamedType, isObjectType, Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

export function selectedFields(info: GraphQLResolveInfo, path: string[] = []): Set<string> {
  const out = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, depth: number): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (depth === path.length) out.add(selection.name.value);
        else if (selection.name.value === path[depth]) visit(selection.selectionSet, depth + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, depth);
      } else {
        visit(info.fragments[selection.name.value]?.selectionSet, depth);
      }
    }
  };
  for (const node of info.fieldNodes as FieldNode[]) visit(node.selectionSet, 0);
  return out;
}

/** Fields of a connection's nodes, whether selected through `nodes` or `edges.node`. */
export function selectedNodeFields(info: GraphQLResolveInfo): Set<string> {
  return new Set([...selectedFields(info, ['nodes']), ...selectedFields(info, ['edges', 'node'])]);
}

/** True when nothing but the id (and __typename or key fields already known) is asked for. */
export function onlyKnownFields(selected: Set<string>, known: string[]): boolean {
  for (const field of selected) if (field !== '__typename' && !known.includes(field)) return false;
  return true;
}

/** One selection of a child field of the current field: its arguments and the fields it selects. */
export interface ChildSelection {
  args: Record<string, unknown>;
  /** Fields selected on the child, or on its nodes when it is a connection. */
  fields: Set<string>;
  /** A resolve info positioned on the child's records, to look further down. */
  records: GraphQLResolveInfo;
}

/** Field nodes reached from `nodes` along `path` (through fragments), e.g. a connection's `edges.node`. */
function fieldNodesAt(info: GraphQLResolveInfo, nodes: readonly FieldNode[], path: string[]): FieldNode[] {
  const out: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined, depth: number): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== path[depth]) continue;
        if (depth === path.length - 1) out.push(selection);
        else visit(selection.selectionSet, depth + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, depth);
      } else {
        visit(info.fragments[selection.name.value]?.selectionSet, depth);
      }
    }
  };
  for (const node of nodes) visit(node.selectionSet, 0);
  return out;
}

/**
 * The current field's records: itself for an object or a list, its `nodes` and `edges.node` for a
 * connection. The info returned has those as fieldNodes and their type as returnType.
 */
export function recordsOf(info: GraphQLResolveInfo): GraphQLResolveInfo {
  const type = getNamedType(info.returnType);
  if (!isObjectType(type) || !type.name.endsWith('Connection')) return info;
  const nodeType = getNamedType(type.getFields().nodes!.type);
  const fieldNodes = [...fieldNodesAt(info, info.fieldNodes, ['nodes']), ...fieldNodesAt(info, info.fieldNodes, ['edges', 'node'])];
  return { ...info, fieldNodes, returnType: nodeType } as GraphQLResolveInfo;
}

/**
 * Selections of `fieldName` on the current field's result, one per response key (alias), with
 * their argument values: lets a resolver start its children's calls together with its own.
 */
export function childSelections(info: GraphQLResolveInfo, fieldName: string): ChildSelection[] {
  const parentType = getNamedType(info.returnType);
  if (!isObjectType(parentType)) return [];
  const fieldDef = parentType.getFields()[fieldName];
  if (!fieldDef) return [];
  const byKey = new Map<string, FieldNode[]>();
  const visit = (set: SelectionSetNode | undefined): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== fieldName) continue;
        const key = selection.alias?.value ?? fieldName;
        byKey.set(key, [...(byKey.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return [...byKey.values()].map((nodes) => {
    const childInfo = { ...info, fieldNodes: nodes, returnType: fieldDef.type } as GraphQLResolveInfo;
    const connection = getNamedType(fieldDef.type).name.endsWith('Connection');
    return {
      args: getArgumentValues(fieldDef, nodes[0]!, info.variableValues),
      fields: connection ? selectedNodeFields(childInfo) : selectedFields(childInfo),
      records: recordsOf(childInfo),
    };
  });
}

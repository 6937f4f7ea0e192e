/**
 * Action mutations (OCPP commands and the like): path arguments in, one POST out. AMPECO answers
 * 202 when it accepted the command; the payload says so and offers the record acted on.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { MutationResolvers, Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { resourceName, scalarText, type RestRecord } from '../datasources/records.js';
import { actionSpecs, specs } from '../datasources/registry.js';
import { lowerFirst } from '../definitions/naming.js';
import { embeddingFor, fromDefinitions, withUserErrors } from './factory.js';
import { selectedFields } from './lookahead.js';

type Args = Record<string, unknown>;

interface ActionResult {
  /** Path values the command was sent with, to find what it created. */
  pathValues: Record<string, string>;
  accepted: boolean;
  outcome: 'ACCEPTED' | 'SCHEDULED' | 'DONE' | null;
  /** Records the payload can show, resolved only when selected. */
  references: Record<string, { type: string; id: string }>;
  [field: string]: unknown;
}

export function actionMutations(): MutationResolvers {
  const out: Record<string, (root: unknown, args: Args, ctx: Context) => Promise<unknown>> = {};
  for (const [mutation, a] of actionSpecs) {
    out[mutation] = (_root, args, ctx) =>
      withUserErrors<ActionResult>(async () => {
        const pathValues: Record<string, string> = {};
        for (const [param, { arg }] of Object.entries(a.pathArgs)) pathValues[param] = String(args[arg]);
        const { outcome, body } = await ctx.ampeco.action(mutation, pathValues, args.input);
        const references: ActionResult['references'] = {};
        if (a.target) references[lowerFirst(a.target.type)] = { type: a.target.type, id: pathValues[a.target.pathParam]! };
        for (const [field, value] of Object.entries(body)) {
          const type = field.endsWith('Id') ? field.slice(0, -2).replace(/^./, (c) => c.toUpperCase()) : '';
          const id = scalarText(value);
          if (specs.has(type) && id !== undefined) references[lowerFirst(type)] = { type, id };
        }
        return Object.assign({}, body, { pathValues, accepted: true, outcome, references });
      }, { pathValues: {}, accepted: false, outcome: null, references: {} });
  }
  return fromDefinitions<MutationResolvers>(out);
}

/** `<Action>Payload.<record>` fields: read the record only when the client selects it. */
export function actionPayloadResolvers(): Resolvers {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [mutation] of actionSpecs) {
    const payload = `${mutation.replace(/^./, (c) => c.toUpperCase())}Payload`;
    const fields: Record<string, unknown> = {};
    for (const type of specs.keys()) {
      fields[lowerFirst(type)] = (parent: ActionResult, _args: Args, ctx: Context, info: GraphQLResolveInfo) => {
        const ref = parent.references[lowerFirst(type)];
        return ref ? ctx.ampeco.get(resourceName(ref.type), ref.id, { include: embeddingFor(specs.get(type)!, selectedFields(info)) }) : null;
      };
    }
    const creates = actionSpecs.get(mutation)!.creates;
    if (creates) {
      fields[creates.field] = async (parent: ActionResult, _args: Args, ctx: Context, info: GraphQLResolveInfo) => {
        const wanted = parent[creates.match];
        if (!parent.accepted || wanted === undefined || wanted === null) return null;
        const filter = Object.fromEntries(
          Object.entries(creates.filter).map(([key, from]) => [key, from.startsWith('=') ? from.slice(1) : parent.pathValues[from]]),
        );
        const rows: RestRecord[] = await ctx.ampeco.listAll(resourceName(creates.type), filter, {
          include: embeddingFor(specs.get(creates.type)!, selectedFields(info)),
        });
        return rows.find((row) => scalarText(row[creates.match]) === scalarText(wanted)) ?? null;
      };
    }
    out[payload] = fields;
  }
  return fromDefinitions<Resolvers>(out);
}

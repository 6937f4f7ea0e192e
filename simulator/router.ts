/** The route table, built from the contract operations of the defined resources, views and actions. */
import type { ContractOperation } from '../src/definitions/contract-model.js';
import type { Model, ResourceModel, ViewModel } from './model.js';

export type RouteKind = 'list' | 'read' | 'create' | 'update' | 'delete' | 'action' | 'view';

export interface Route {
  method: string;
  op: ContractOperation;
  kind: RouteKind;
  model?: ResourceModel;
  view?: ViewModel;
  /** Literal segments as strings, parameters as { param }. */
  segments: (string | { param: string })[];
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: Route[] = [];

  constructor(model: Model) {
    for (const m of model.resources.values()) {
      for (const [kind, op] of Object.entries(m.contract.operations)) {
        if (op) this.add({ method: op.method, op, kind: kind as RouteKind, model: m, segments: split(op.path) });
      }
    }
    for (const view of model.views) {
      this.add({ method: view.op.method, op: view.op, kind: 'view', view, segments: split(view.op.path) });
    }
    for (const def of model.actions) {
      const op = model.contract.actions[def.operationId];
      if (op) this.add({ method: op.method, op, kind: 'action', segments: split(op.path) });
    }
    // Literal segments beat parameters where two templates could match the same path.
    this.routes.sort((a, b) => literals(b) - literals(a));
  }

  private add(route: Route): void {
    this.routes.push(route);
  }

  all(): readonly Route[] {
    return this.routes;
  }

  /** The matching route, or the methods allowed on the path when only the method is wrong. */
  match(method: string, pathname: string): Match | { allowed: string[] } | undefined {
    const parts = pathname.replace(/\/+$/, '').split('/').slice(1);
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { route, params };
      allowed.add(route.method);
    }
    return allowed.size ? { allowed: [...allowed] } : undefined;
  }
}

function split(path: string): (string | { param: string })[] {
  return path.split('/').slice(1).map((s) => {
    const m = /^\{(.+)\}$/.exec(s);
    return m ? { param: m[1] as string } : s;
  });
}

function literals(route: Route): number {
  return route.segments.filter((s) => typeof s === 'string').length;
}

function matchSegments(segments: Route['segments'], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const part = parts[i]!;
    if (typeof seg === 'string') {
      if (seg !== part) return undefined;
    } else {
      if (part === '') return undefined;
      try {
        params[seg.param] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    }
  }
  return params;
}

/** Routes an authenticated request to the generic resource handlers, a view or an action. */
import { runAction } from './actions.js';
import { HttpError, type Reply } from './http.js';
import { createRecord, deleteRecord, listRecords, readRecord, updateRecord, type RequestInfo, type Runtime } from './handlers.js';
import type { Router } from './router.js';
import { readView } from './views.js';

export function dispatcher(rt: Runtime, router: Router): (method: string, req: RequestInfo) => Reply {
  return (method, req) => {
    const match = router.match(method, req.pathname);
    if (!match) throw new HttpError(404, `The route ${req.pathname.replace(/^\//, '')} could not be found.`);
    if ('allowed' in match) {
      throw new HttpError(405, `The ${method} method is not supported for route ${req.pathname}. Supported methods: ${match.allowed.join(', ')}.`, undefined, {
        allow: match.allowed.join(', '),
      });
    }
    const { route } = match;
    req.params = match.params;
    const m = route.model;
    switch (route.kind) {
      case 'list':
        return listRecords(rt, m!, route.op, req);
      case 'read':
        return readRecord(rt, m!, route.op, req);
      case 'create':
        return createRecord(rt, m!, route.op, req);
      case 'update':
        return updateRecord(rt, m!, route.op, req);
      case 'delete':
        return deleteRecord(rt, m!, route.op, req);
      case 'action':
        return runAction(rt, route.op, req);
      case 'view':
        return readView(rt, route.view!, req);
    }
  };
}

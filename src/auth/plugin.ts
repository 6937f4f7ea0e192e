/** Read-only callers run no mutation: refused once the operation is known, before anything executes. */
import { OperationTypeNode } from 'graphql';
import type { Context } from '../context.js';
import type { RequestHooks } from '../request-hooks.js';
import { insufficientScope } from './errors.js';
import { WRITE_SCOPE } from './jwt.js';

export const readOnlyScope: RequestHooks<Context> = {
  didResolveOperation({ operation, contextValue }) {
    if (operation?.operation === OperationTypeNode.MUTATION && contextValue.principal?.scope === 'read') {
      throw insufficientScope('These credentials are read-only: mutations need read-write (write scope) credentials.', WRITE_SCOPE);
    }
  },
};

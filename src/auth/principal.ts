/** Who a request acts for, once its client credentials are checked. */

/** read: queries only; write: queries and mutations. */
export type Scope = 'read' | 'write';

export type AuthMethod = 'api-key' | 'jwt';

export interface Principal {
  /** How the caller proved who it is. */
  method: AuthMethod;
  /** The API key's label or the JWT's subject: names the caller in logs, never a secret. */
  id: string;
  scope: Scope;
}

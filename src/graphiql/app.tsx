/**
 * Browser entry of the GraphiQL page the facade serves itself (see handler.ts, bundled by bundle.ts).
 * Nothing here may load from the internet: the page's Content-Security-Policy only allows 'self'.
 *
 * The server embeds its settings as JSON in `<script type="application/json" id="graphiql-config">`
 * (a data block: never executed, so the CSP needs no inline scripts); see `GraphiqlPageConfig`.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';

/** The query a first-time visitor sees (GraphiQL keeps later edits in localStorage). Edit freely. */
export const DEFAULT_QUERY = `# AMPECO GraphQL facade: Ctrl-Enter runs the query.
# The book icon (top left) opens the docs.
{
  locations(first: 3) {
    nodes {
      id
      name { locale translation }
      chargePoints(first: 5) {
        nodes {
          id
          name
          status
          evses {
            id
            connectors { id type }
          }
        }
      }
    }
  }
}
`;

/** Headers pre-filled in the headers editor when the facade runs against the simulator. */
export const SIMULATOR_HEADERS = JSON.stringify({ Authorization: 'Bearer sim-token' }, null, 2);

/** What the server embeds in the page; all fields optional so a bare page still works. */
export interface GraphiqlPageConfig {
  /** GraphQL endpoint the page posts to, relative to the page (default '/graphql'). */
  endpoint?: string;
  /** True when the facade talks to the AMPECO simulator: pre-fill a bearer token for it. */
  simulator?: boolean;
  /**
   * The per-response nonce the page's CSP allows in style-src: Radix dialogs (settings, short keys) add a
   * `<style>` element through react-style-singleton, which takes its nonce from get-nonce, which reads
   * the global `__webpack_nonce__`.
   */
  styleNonce?: string;
}

declare global {
  // A global that get-nonce reads (`declare global` needs `var`).
  var __webpack_nonce__: string | undefined;
  interface Window {
    /** Alternative to the JSON block, for pages that configure GraphiQL themselves. */
    GRAPHIQL_CONFIG?: GraphiqlPageConfig;
  }
}

export const CONFIG_ELEMENT_ID = 'graphiql-config';
export const ROOT_ELEMENT_ID = 'graphiql';

function readConfig(): GraphiqlPageConfig {
  const block = document.getElementById(CONFIG_ELEMENT_ID);
  if (block?.textContent) {
    try {
      return JSON.parse(block.textContent) as GraphiqlPageConfig;
    } catch (error) {
      console.warn('graphiql: ignoring an unreadable page config', error);
    }
  }
  const root = document.getElementById(ROOT_ELEMENT_ID);
  return {
    ...window.GRAPHIQL_CONFIG,
    ...(root?.dataset.endpoint ? { endpoint: root.dataset.endpoint } : {}),
    ...(root?.dataset.simulator ? { simulator: root.dataset.simulator === 'true' } : {}),
  };
}

function main(): void {
  const config = readConfig();
  if (config.styleNonce) globalThis.__webpack_nonce__ = config.styleNonce;
  const url = new URL(config.endpoint ?? '/graphql', window.location.href).toString();
  const fetcher = createGraphiQLFetcher({ url });
  const container = document.getElementById(ROOT_ELEMENT_ID) ?? document.body.appendChild(document.createElement('div'));
  createRoot(container).render(
    <StrictMode>
      <GraphiQL
        fetcher={fetcher}
        defaultQuery={DEFAULT_QUERY}
        isHeadersEditorEnabled
        defaultHeaders={config.simulator ? SIMULATOR_HEADERS : ''}
        defaultEditorToolsVisibility={config.simulator ? 'headers' : false}
        shouldPersistHeaders={false}
      />
    </StrictMode>,
  );
}

if (typeof document !== 'undefined') main();

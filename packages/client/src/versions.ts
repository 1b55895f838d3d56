import { surfaces } from '@agentplane/contracts';

// Replaced at build (tsdown `define`) with @agentplane/contracts' version, which is also the
// published package's version; from source (tests, the workspace) it stays undefined.
declare const __AGENTPLANE_CLIENT_VERSION__: string | undefined;

/** This package's version: the version of the contracts it was built from. */
export const CLIENT_VERSION: string =
  typeof __AGENTPLANE_CLIENT_VERSION__ === 'string' ? __AGENTPLANE_CLIENT_VERSION__ : 'source';

/**
 * `info.version` of each OpenAPI document the clients were built from, keyed by surface
 * (`engine`, `orchestratord-control`, `processor`, `agent-manager`). A service serves the same
 * document at `GET /openapi.json`, so a product can compare before it trusts a client.
 */
export const DOCUMENT_VERSIONS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(surfaces.map((surface) => [surface.name, surface.version])),
);

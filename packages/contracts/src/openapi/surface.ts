// What a surface is and how its document is built, apart from the list of surfaces
// (surfaces.ts), so the engine can build its own document (engine-surface.ts) without
// evaluating every other service's schemas at boot (engine boot: ~16-20 ms of CPU).
import { OpenAPIRegistry, type OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import {
  malformedRequestResponse,
  type ResponseDef,
  type RouteDef,
  unsupportedMediaTypeResponse,
} from '../common/route.js';
import { generatorFor, mergeSides, type Side } from './io-sides.js';
import { isObject, type Json } from './json-tree.js';
import { normalizeNullableRefs } from './nullable-refs.js';
import { registerRoutes, type SecuritySchemes } from './register-routes.js';

/** One generated API surface: a document `contracts/openapi/<name>.yaml` and its types. */
export interface Surface {
  name: string;
  title: string;
  version: string;
  description: string;
  /** The service's default local URL (its default PORT), the document's one `servers` entry. */
  server: string;
  /** Tag name → description; every route carries at least one of them. */
  tags: Readonly<Record<string, string>>;
  routes: Readonly<Record<string, RouteDef>>;
  securitySchemes: SecuritySchemes;
  /** Added to every operation with a JSON body (the HTTP kit's 415; the processor kit has none). */
  bodyResponses?: Readonly<Record<number, ResponseDef>>;
  /** Added to every operation: what the HTTP server answers before routing (no Host → 400). */
  anyRequestResponses: Readonly<Record<number, ResponseDef>>;
}

/** What the platform services' HTTP kit answers on every route with a body. */
export const kitBodyResponses = { 415: unsupportedMediaTypeResponse } as const;
/** What the platform services' HTTP server answers to any request it cannot route. */
export const kitAnyRequestResponses = { 400: malformedRequestResponse } as const;
export const healthTag = { health: 'Liveness and readiness probes' } as const;

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** Every document's licence: the repository's LICENSE file. */
const LICENSE = { name: 'Apache 2.0', identifier: 'Apache-2.0' } as const;

function sortKeys(record: Json): Json {
  if (!isObject(record)) {
    return record;
  }
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Sort the maps whose order carries no meaning (paths, component maps), so reordering route or
 * schema declarations does not churn the checked-in files. Everything else keeps the generator's
 * deterministic order (property order reads like the schema).
 */
function stabilize(doc: Json): Json {
  if (!isObject(doc)) {
    return doc;
  }
  const components = isObject(doc.components) ? doc.components : {};
  const sorted = Object.entries(components).map(([kind, map]) => [kind, sortKeys(map)] as const);
  return {
    ...doc,
    components: sortKeys(Object.fromEntries(sorted)),
    paths: sortKeys(doc.paths ?? {}),
  };
}

/**
 * `http://{host}:<default port>`: the host is a variable (default `localhost`) because the
 * service runs wherever its operator puts it; only the default port is the contract's.
 */
function serverOf(surface: Surface) {
  const url = new URL(surface.server);
  return {
    url: `${url.protocol}//{host}:${url.port}`,
    description: 'The service on its default port',
    variables: { host: { default: url.hostname, description: 'Where the service runs' } },
  };
}

/**
 * Build the OpenAPI 3.1 document of a surface in memory (no server, no files). The checked-in
 * YAML is exactly this object, so a service serving it as JSON serves the same contract.
 *
 * Generated twice, once per side of the zod schemas (see `mergeSides`): requests describe what a
 * client may send, responses what a server always sends.
 */
export function buildDocument(surface: Surface): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registerRoutes(registry, surface.routes, surface.securitySchemes, {
    tags: surface.tags,
    ...(surface.bodyResponses === undefined ? {} : { bodyResponses: surface.bodyResponses }),
    anyRequestResponses: surface.anyRequestResponses,
  });
  const config = {
    openapi: '3.1.0',
    info: {
      title: surface.title,
      version: surface.version,
      description: surface.description,
      license: { ...LICENSE },
    },
    servers: [serverOf(surface)],
    tags: Object.entries(surface.tags).map(([name, description]) => ({ name, description })),
  };
  const side = (s: Side): Json =>
    normalizeNullableRefs(
      generatorFor(registry.definitions, s).generateDocument(config) as unknown as Json,
    );
  return stabilize(mergeSides(side('input'), side('output'))) as unknown as OpenApiDocument;
}

import { OpenAPIRegistry, type OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import {
  AM_ADMIN_KEY_SCHEME,
  AM_API_KEY_SCHEME,
  agentManagerRoutes,
} from '../agent-manager/routes.js';
import {
  malformedRequestResponse,
  type ResponseDef,
  type RouteDef,
  unsupportedMediaTypeResponse,
} from '../common/route.js';
import { ENGINE_KEY_SCHEME, engineRoutes } from '../engine/routes.js';
import {
  ADMIN_KEY_SCHEME,
  orchestratordRoutes,
  PLATFORM_KEY_SCHEME,
} from '../orchestratord/routes.js';
import { processorMalformedRequestResponse, processorRoutes } from '../processors/routes.js';
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
const kitBodyResponses = { 415: unsupportedMediaTypeResponse } as const;
/** What the platform services' HTTP server answers to any request it cannot route. */
const kitAnyRequestResponses = { 400: malformedRequestResponse } as const;
const healthTag = { health: 'Liveness and readiness probes' } as const;

/** Adding a surface (orchestratord-control, processor, …) is one entry here. */
export const surfaces: readonly Surface[] = [
  {
    name: 'engine',
    title: 'agentplane engine',
    version: '1.0.0',
    description: 'The per-user engine: /health, /execute (SSE), /rpc and HITL.',
    server: 'http://localhost:8000',
    tags: {
      ...healthTag,
      execute: 'Agent turns, streamed as server-sent events; replay and cancel',
      rpc: 'Control (config, keys) and telemetry (quotas, cache) operations',
      hitl: 'Human-in-the-loop: tool calls waiting for approval',
    },
    bodyResponses: kitBodyResponses,
    anyRequestResponses: kitAnyRequestResponses,
    routes: engineRoutes,
    securitySchemes: {
      [ENGINE_KEY_SCHEME]: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Engine-Key',
        description: 'The engine key; the engine stores only its SHA-256.',
      },
    },
  },
  {
    name: 'processor',
    title: 'agentplane processor',
    version: '1.0.0',
    description:
      'The HTTP contract every processor serves (seeds/processors-http-contract.md): /healthz, ' +
      '/run answering one envelope, /run-stream ending in `done`.',
    server: 'http://localhost:8101',
    tags: { ...healthTag, run: 'Running the processor once, answered or streamed' },
    routes: processorRoutes,
    anyRequestResponses: { 400: processorMalformedRequestResponse },
    securitySchemes: {},
  },
  {
    name: 'orchestratord-control',
    title: 'agentplane orchestratord (control plane)',
    version: '1.0.0',
    description: 'The fleet control plane: products, engines, admission, lifecycle, status.',
    server: 'http://localhost:8080',
    tags: {
      ...healthTag,
      products: 'Products and their policies (admin key)',
      engines: 'A product’s per-user engines: provision, lifecycle, keys, admission',
      fleet: 'The product’s fleet status and audit log',
    },
    bodyResponses: kitBodyResponses,
    anyRequestResponses: kitAnyRequestResponses,
    routes: orchestratordRoutes,
    securitySchemes: {
      [PLATFORM_KEY_SCHEME]: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Platform-Key',
        description: 'A product’s key (`pk-…`); stored as its SHA-256.',
      },
      [ADMIN_KEY_SCHEME]: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Admin-Key',
        description: 'ORCH_ADMIN_KEY: registers products and sets policies.',
      },
    },
  },
  {
    name: 'agent-manager',
    title: 'agentplane agent-manager',
    version: '0.2.0',
    description:
      'Goal-driven agents on background workers, their tools, the event bus, RAG and memory ' +
      '(seeds/operone-api-contracts.md).',
    server: 'http://localhost:3000',
    tags: {
      ...healthTag,
      agents: 'Goal-driven agents: create, start (streamed or in the background), follow, cancel',
      tools: 'Running one tool directly, with an agent’s capabilities',
      events: 'The platform’s event bus, as server-sent events',
      workers: 'Worker processes (admin key)',
      rag: 'Documents in, hybrid retrieval out: batch ingest jobs, queries with filters, recall',
      memory: 'Session and long-term memory entries, ranked by the same hybrid search',
    },
    bodyResponses: kitBodyResponses,
    anyRequestResponses: kitAnyRequestResponses,
    routes: agentManagerRoutes,
    securitySchemes: {
      [AM_API_KEY_SCHEME]: {
        type: 'http',
        scheme: 'bearer',
        description: 'One of AM_API_KEYS (stored as SHA-256); optional only on loopback',
      },
      [AM_ADMIN_KEY_SCHEME]: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Admin-Key',
        description: 'AM_ADMIN_KEY: the internal worker routes',
      },
    },
  },
];

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

export function surfaceByName(name: string): Surface {
  const surface = surfaces.find((s) => s.name === name);
  if (surface === undefined) {
    throw new Error(`unknown surface ${name}`);
  }
  return surface;
}

/** The engine's document; the engine serves it as `GET /openapi.json`. */
export function buildEngineDocument(): OpenApiDocument {
  return buildDocument(surfaceByName('engine'));
}

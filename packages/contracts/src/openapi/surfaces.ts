import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { RouteDef } from '../common/route.js';
import { getServiceHealth } from '../common/service-health.js';
import { ENGINE_KEY_SCHEME, engineRoutes } from '../engine/routes.js';
import {
  ADMIN_KEY_SCHEME,
  orchestratordRoutes,
  PLATFORM_KEY_SCHEME,
} from '../orchestratord/routes.js';
import { processorRoutes } from '../processors/routes.js';
import { registerRoutes, type SecuritySchemes } from './register-routes.js';

/** One generated API surface: a document `contracts/openapi/<name>.yaml` and its types. */
export interface Surface {
  name: string;
  title: string;
  version: string;
  description: string;
  routes: Readonly<Record<string, RouteDef>>;
  securitySchemes: SecuritySchemes;
}

type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** Adding a surface (orchestratord-control, processor, …) is one entry here. */
export const surfaces: readonly Surface[] = [
  {
    name: 'engine',
    title: 'agentplane engine',
    version: '1.0.0',
    description: 'The per-user engine: /health, /execute (SSE), /rpc and HITL.',
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
    routes: processorRoutes,
    securitySchemes: {},
  },
  {
    name: 'orchestratord-control',
    title: 'agentplane orchestratord (control plane)',
    version: '1.0.0',
    description: 'The fleet control plane: products, engines, admission, lifecycle, status.',
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
  // agent-manager grows with its issue; for now it declares the health route.
  {
    name: 'agent-manager',
    title: 'agentplane agent-manager',
    version: '0.1.0',
    description: 'Goal-driven agents on workers, RAG, memory and events.',
    routes: { getHealth: getServiceHealth },
    securitySchemes: {},
  },
];

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Sort the maps whose order carries no meaning (paths, component maps), so reordering route or
 * schema declarations does not churn the checked-in files. Everything else keeps the generator's
 * deterministic order (property order reads like the schema).
 */
function stabilize(doc: OpenApiDocument): OpenApiDocument {
  const components = Object.entries(doc.components ?? {}).map(
    ([kind, map]) => [kind, sortKeys(map as Record<string, unknown>)] as const,
  );
  return {
    ...doc,
    components: sortKeys(Object.fromEntries(components)),
    paths: sortKeys(doc.paths ?? {}),
  };
}

/**
 * Build the OpenAPI 3.1 document of a surface in memory (no server, no files). The checked-in
 * YAML is exactly this object, so a service serving it as JSON serves the same contract.
 */
export function buildDocument(surface: Surface): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registerRoutes(registry, surface.routes, surface.securitySchemes);
  const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: surface.title, version: surface.version, description: surface.description },
  });
  return stabilize(doc);
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

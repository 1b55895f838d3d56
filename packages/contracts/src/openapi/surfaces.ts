import {
  AM_ADMIN_KEY_SCHEME,
  AM_API_KEY_SCHEME,
  agentManagerRoutes,
} from '../agent-manager/routes.js';
import {
  ADMIN_KEY_SCHEME,
  orchestratordRoutes,
  PLATFORM_KEY_SCHEME,
} from '../orchestratord/routes.js';
import { orchestratordCatalogRoutes } from '../orchestratord-catalog/routes.js';
import { CATALOG_API_VERSION } from '../orchestratord-catalog/schemas.js';
import { DataErrorEnvelope } from '../orchestratord-data/errors.js';
import { orchestratordDataRoutes } from '../orchestratord-data/routes.js';
import { processorMalformedRequestResponse, processorRoutes } from '../processors/routes.js';
import { engineSurface } from './engine-surface.js';
import { mergeDocuments } from './merge-documents.js';
import {
  buildDocument,
  healthTag,
  kitAnyRequestResponses,
  kitBodyResponses,
  type OpenApiDocument,
  type Surface,
} from './surface.js';

/** Adding a surface (orchestratord-control, processor, …) is one entry here. */
export const surfaces: readonly Surface[] = [
  engineSurface,
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
    name: 'orchestratord-data',
    title: 'agentplane orchestratord (task data plane, OrchQueue v1)',
    version: '1.0.0',
    description:
      'llama-orch’s OrchQueue v1 data plane for agent engines: admit a task for a user, stream ' +
      'it (started, token, metrics, end | error; Last-Event-ID resumes), cancel it; sessions. ' +
      'Errors use llama-orch’s flat envelope (DataErrorEnvelope).',
    server: 'http://localhost:8080',
    tags: {
      tasks: 'Tasks: admission into the pool’s queue, the SSE stream, cancel',
      sessions: 'Sessions: TTL, turns and budgets of one engine conversation',
      pools: 'Pools: health, drain and resume (admin key for the last two)',
      chat: 'OpenAI-compatible chat completions, queued as tasks (OpenAI’s error shape)',
    },
    bodyResponses: {
      415: {
        description: 'The body is not sent as application/json (UNSUPPORTED_MEDIA_TYPE)',
        schema: DataErrorEnvelope,
      },
    },
    anyRequestResponses: kitAnyRequestResponses,
    routes: orchestratordDataRoutes,
    securitySchemes: {
      [PLATFORM_KEY_SCHEME]: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Platform-Key',
        description:
          'A product’s key (`pk-…`); a product sees only its own tasks and sessions. Also ' +
          'accepted as `Authorization: Bearer <key>` (OpenAI SDKs).',
      },
      [ADMIN_KEY_SCHEME]: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Admin-Key',
        description: 'ORCH_ADMIN_KEY: pool drain and resume.',
      },
    },
  },
  {
    name: 'orchestratord-catalog',
    title: 'agentplane orchestratord (catalog of engine images, capabilities)',
    version: CATALOG_API_VERSION,
    description:
      'llama-orch’s catalog for agent engines: an entry names an engine image, pinned by the ' +
      'digest the container engine reports (checked at create and on verify); a Retired image ' +
      'admits no new engine. Capabilities list one entry per image. Errors use llama-orch’s ' +
      'flat envelope (DataErrorEnvelope).',
    server: 'http://localhost:8080',
    tags: {
      catalog: 'Catalog: engine images, their digests, trust policy and lifecycle state',
      capabilities: 'Capabilities: API version, engines, limits and features',
    },
    bodyResponses: {
      415: {
        description: 'The body is not sent as application/json (UNSUPPORTED_MEDIA_TYPE)',
        schema: DataErrorEnvelope,
      },
    },
    anyRequestResponses: kitAnyRequestResponses,
    routes: orchestratordCatalogRoutes,
    securitySchemes: {
      [PLATFORM_KEY_SCHEME]: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Platform-Key',
        description: 'A product’s key (`pk-…`): reads.',
      },
      [ADMIN_KEY_SCHEME]: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Admin-Key',
        description: 'ORCH_ADMIN_KEY: catalog writes (create, delete, verify, state).',
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

export function surfaceByName(name: string): Surface {
  const surface = surfaces.find((s) => s.name === name);
  if (surface === undefined) {
    throw new Error(`unknown surface ${name}`);
  }
  return surface;
}

/** The surfaces orchestratord serves, as one document at its /openapi.json. */
export const ORCHESTRATORD_SURFACES = [
  'orchestratord-control',
  'orchestratord-data',
  'orchestratord-catalog',
] as const;

export function orchestratordDocument(): OpenApiDocument {
  const [first, ...rest] = ORCHESTRATORD_SURFACES.map((name) => buildDocument(surfaceByName(name)));
  return mergeDocuments(first as OpenApiDocument, ...rest);
}

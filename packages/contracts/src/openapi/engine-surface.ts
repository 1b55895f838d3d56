import { ENGINE_KEY_SCHEME, engineRoutes } from '../engine/routes.js';
import {
  buildDocument,
  healthTag,
  kitAnyRequestResponses,
  kitBodyResponses,
  type OpenApiDocument,
  type Surface,
} from './surface.js';

/** The engine's surface, on its own: the engine builds its document from this alone. */
export const engineSurface: Surface = {
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
};

/** The engine's document; the engine serves it as `GET /openapi.json`. */
export function buildEngineDocument(): OpenApiDocument {
  return buildDocument(engineSurface);
}

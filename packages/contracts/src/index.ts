export * from './agent-manager/index.js';
export * from './bus/topics.js';
export * from './catalog/index.js';
export * from './client/index.js';
export * from './common/index.js';
export * from './engine/index.js';
export type { paths as AgentManagerPaths } from './generated/agent-manager.js';
export type { components as EngineComponents, paths as EnginePaths } from './generated/engine.js';
export type { paths as OrchestratordControlPaths } from './generated/orchestratord-control.js';
export { buildEngineDocument } from './openapi/engine-surface.js';
export { mergeDocuments } from './openapi/merge-documents.js';
export { registerRoutes, type SecuritySchemes } from './openapi/register-routes.js';
export { buildDocument, type Surface } from './openapi/surface.js';
export {
  ORCHESTRATORD_SURFACES,
  orchestratordDocument,
  surfaceByName,
  surfaces,
} from './openapi/surfaces.js';
export * from './orchestratord/index.js';
export * from './orchestratord-catalog/index.js';
export * from './orchestratord-data/index.js';
export * from './processors/index.js';

export * from './agent-manager/index.js';
export * from './bus/topics.js';
export * from './catalog/index.js';
export * from './client/index.js';
export * from './common/errors.js';
export * from './common/route.js';
export * from './common/route-types.js';
export * from './common/service-health.js';
export * from './engine/index.js';
export type { paths as AgentManagerPaths } from './generated/agent-manager.js';
export type { components as EngineComponents, paths as EnginePaths } from './generated/engine.js';
export type { paths as OrchestratordControlPaths } from './generated/orchestratord-control.js';
export { registerRoutes, type SecuritySchemes } from './openapi/register-routes.js';
export {
  buildDocument,
  buildEngineDocument,
  type Surface,
  surfaceByName,
  surfaces,
} from './openapi/surfaces.js';
export * from './orchestratord/index.js';
export * from './processors/index.js';

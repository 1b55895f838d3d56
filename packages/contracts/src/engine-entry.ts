// `@agentplane/contracts/engine`: what the engine imports, and nothing of the other services.
// The engine's bundle evaluates every schema it imports when it boots (zod and zod-to-openapi
// build them at module load); through the root entry that was every service's (measured: ~16-20
// ms of CPU per boot).
export * from './catalog/index.js';
export * from './common/index.js';
export * from './engine/index.js';
export { buildEngineDocument } from './openapi/engine-surface.js';

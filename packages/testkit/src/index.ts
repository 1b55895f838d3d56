export { dockerOptionsFromHost } from '@agentplane/backends/docker-host';
export {
  createPgliteKysely,
  type EmbeddedPglite,
  type OpenPgliteOptions,
  openPglite,
  PGliteDialect,
} from '@agentplane/backends/pglite';
export {
  createPgTestDatabase,
  type DbVariant,
  dbVariants,
  defaultDbVariant,
  pgliteVariant,
  postgresVariant,
} from './db-variants.js';
export { connectDocker, probeDocker } from './docker.js';
export { fakeEmbedding, toBase64Float32 } from './fake-openai/embeddings.js';
export { type OpenAIErrorBody, openaiError } from './fake-openai/openai-error.js';
export { startFakeOpenAI } from './fake-openai/server.js';
export type {
  FakeOpenAI,
  FakeOpenAIOptions,
  RecordedRequest,
  ScriptedToolCall,
  ScriptedTurn,
  ScriptedUsage,
} from './fake-openai/types.js';
export { createTestKit, type TestKitOptions, test } from './fixtures.js';
export { type LiveEngine, type LiveEngineOptions, startLiveEngine } from './live-engine.js';
export {
  type LiveOrchestratord,
  type LiveOrchestratordOptions,
  startLiveOrchestratord,
} from './live-orchestratord.js';
export { NO_LLM_KEYS } from './no-llm-keys.js';
// The OpenAPI response check; its vitest setup file is `@agentplane/testkit/openapi-check/setup`.
export { allowUndocumented } from './openapi-check/check-state.js';
export {
  createDocumentChecker,
  type DocumentChecker,
  isOpenApiDocument,
  type OpenApiDocument,
} from './openapi-check/document-checker.js';
export type { Violation } from './openapi-check/response-check.js';
export { percentile } from './percentile.js';
export {
  type AnyKysely,
  type DbVariantName,
  EMPTY_SCHEMA,
  type PgSchema,
  type PgTestDatabase,
  schemaHash,
} from './pg-schema.js';
export { createPgliteTestDatabase } from './pglite-database.js';
export {
  createPostgresTestDatabase,
  dropPgDatabase,
  ensurePgTemplate,
  pgTemplateName,
  pingPostgres,
  withDatabase,
} from './postgres.js';
export {
  connectRedis,
  createRedisTestHandle,
  deleteKeysWithPrefix,
  probeRedis,
  type RedisTestHandle,
} from './redis.js';
export {
  describeWithService,
  isCi,
  requireService,
  SERVICE_VARIABLES,
  type ServiceName,
  type ServiceProbe,
  ServiceUnavailableError,
  type SkippableContext,
  serviceAvailable,
  serviceUnavailable,
  skipMessage,
} from './require-service.js';
// Added by another helper's work (service process tests); exported here so apps can import them.
export { type ServiceProcessSuiteOptions, serviceProcessSuite } from './service-process-suite.js';
export {
  runToExit,
  type SpawnedService,
  type SpawnServiceOptions,
  spawnService,
} from './spawn-service.js';
export { createTmpDir, type TmpDir } from './tmp.js';
export {
  type HealthProbeOptions,
  healthStatus,
  type WaitHealthyOptions,
  waitHealthy,
} from './wait-healthy.js';
export { buildAppBundle, buildAppImage } from './workspace-builds.js';
export { WORKSPACE_ROOT } from './workspace-root.js';

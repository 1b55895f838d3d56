export type { Express, IRouter } from 'express';
export { ApiError, type ApiErrorInit, isApiError } from './api-error.js';
export { type CreateServiceAppOptions, createServiceApp } from './app.js';
export {
  backendConfig,
  describeBackends,
  refuseEmbeddedInProduction,
} from './backends.js';
export {
  answerClientErrors,
  type ClientErrorBody,
  type ClientErrorOptions,
} from './client-error.js';
export { COMPRESSION_THRESHOLD_BYTES, compressionMiddleware } from './compression.js';
export {
  type BaseServiceConfig,
  BoolEnv,
  baseServiceConfig,
  ConfigError,
  type ConfigIssue,
  IntEnv,
  type LogLevel,
  LogLevelEnv,
  NodeEnv,
  PortEnv,
  parseConfig,
} from './config.js';
export {
  CORRELATION_HEADER,
  currentCorrelationId,
  currentLogger,
  isValidCorrelationId,
  newCorrelationId,
  resolveCorrelationId,
  runWithCorrelation,
} from './correlation.js';
export {
  type ErrorBodyFormat,
  type ErrorFacts,
  errorEnvelope,
  errorMiddleware,
  INTERNAL_ERROR_MESSAGE,
  notFoundHandler,
  toValidationIssues,
} from './errors.js';
export { type JsonBodyReaderOptions, jsonBodyReader } from './json-body.js';
export { type CreateLoggerOptions, createLogger, type Logger } from './logger.js';
export {
  type CreateMetricsOptions,
  createMetrics,
  type Metrics,
  metricsHandler,
} from './metrics.js';
export { correlationHeaders, createOutgoingFetch, withCorrelation } from './outgoing.js';
export { protoPoisoningPath } from './proto-poisoning.js';
export { type ReadinessGate, readinessMiddleware } from './readiness.js';
export { CENSOR, isSecretKey, scrubSecrets } from './redact.js';
export {
  type RegisterRouteOptions,
  ResponseContractError,
  registerRoute,
  VALIDATE_RESPONSES_LOCAL,
} from './route.js';
export { routeLabel, setRouteLabel } from './route-label.js';
export type { RouteContext, RouteHandler, RouteInput, RouteResult } from './route-types.js';
export { type Listening, type ListenOptions, listen } from './serve.js';
export { registerServiceHealth, type ServiceHealthDeps } from './service-health.js';
export {
  type CreateShutdownRegistryOptions,
  closeHttpServer,
  createShutdownRegistry,
  type HookOutcome,
  type InstallSignalHandlersOptions,
  installSignalHandlers,
  type ShutdownHook,
  type ShutdownRegistry,
  type ShutdownReport,
} from './shutdown.js';
export {
  formatSseEvent,
  type OpenSseOptions,
  openSse,
  type SseEvent,
  type SseTimers,
  type SseWriter,
} from './sse.js';
export { loadConfigOrExit, type StartServiceOptions, startService } from './start.js';
export { assertNever, statusFor } from './status-for.js';
export { createRequestValidator, JSON_TYPES, toExpressPath } from './validate.js';

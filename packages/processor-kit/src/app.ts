import { buildDocument, surfaceByName } from '@agentplane/contracts';
import { compressionMiddleware, jsonBodyReader, type Logger } from '@agentplane/http-kit';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { requestFailureOf } from './body-errors.js';
import type { ProcessorConfig } from './config.js';
import { correlationMiddleware } from './correlation.js';
import { type BaseMeta, envFingerprint, errorEnvelope, sendEnvelope } from './envelopes.js';
import type { ProcessorDefinition } from './handler.js';
import { createInputsValidator } from './inputs-validator.js';
import { executeRun, type RunDeps } from './run.js';
import { runStreamHandler } from './run-stream.js';

export interface CreateProcessorAppOptions {
  definition: ProcessorDefinition;
  /** The parsed environment (see `loadProcessorConfig`). */
  config: Pick<
    ProcessorConfig,
    | 'CI'
    | 'IMAGE_DIGEST'
    | 'PROCESSOR_ARTIFACTS_ROOT'
    | 'PROCESSOR_TIMEOUT_MS'
    | 'PROCESSOR_MOCK_DELAY_MS'
    | 'BODY_LIMIT_BYTES'
  >;
  logger: Logger;
  /** Where secrets are looked up (mode=real); default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** 405 ERR_METHOD_NOT_ALLOWED with `Allow`, for any other method on a known path. */
function methodNotAllowed(meta: BaseMeta, allow: string): RequestHandler {
  return (_req, res) => {
    res.setHeader('Allow', allow);
    sendEnvelope(res, errorEnvelope(meta, '', 'ERR_METHOD_NOT_ALLOWED'));
  };
}

// The processor surface's OpenAPI document, built on the first GET (most processes never serve it).
function openapiHandler(): RequestHandler {
  let json: string | undefined;
  return (_req, res) => {
    json ??= JSON.stringify(buildDocument(surfaceByName('processor')));
    res.type('application/json').send(json);
  };
}

/**
 * The HTTP face of a processor: GET /healthz, POST /run (one envelope), POST /run-stream (SSE
 * ending in `done`), GET /openapi.json. Every failure, including malformed or oversized bodies,
 * unknown routes and wrong methods, is an error envelope; every response carries
 * X-Correlation-Id. Otherwise bare (no metrics or request log middleware) to keep /run's overhead
 * small: the run's own events are its log.
 *
 * @example
 * const app = createProcessorApp({ definition: { registry, handler }, config, logger });
 * await listen(app, { port: 8101 });
 */
export function createProcessorApp(opts: CreateProcessorAppOptions): Express {
  const { definition, config } = opts;
  const logger = opts.logger.child({ component: 'processor' });
  const meta = {
    env_fingerprint: envFingerprint(definition.registry),
    image_digest: config.IMAGE_DIGEST,
  };
  const deps: RunDeps = {
    definition,
    meta,
    logger,
    env: opts.env ?? process.env,
    validateInputs: createInputsValidator(definition.registry.inputs),
    settings: {
      ci: config.CI,
      imageDigest: config.IMAGE_DIGEST,
      artifactsRoot: config.PROCESSOR_ARTIFACTS_ROOT,
      timeoutMs: config.PROCESSOR_TIMEOUT_MS ?? definition.registry.runtime.timeout_s * 1000,
      mockDelayMs: config.PROCESSOR_MOCK_DELAY_MS,
    },
  };

  const app = express();
  app.set('etag', false);
  app.disable('x-powered-by');
  // First, so errors, 404s, 405s and streams all carry the id.
  app.use(correlationMiddleware());
  // Responses of 1 KB or more (error envelopes listing many issues), never SSE.
  app.use(compressionMiddleware());

  // Any content type is read as JSON: curl without a header still gets a run, not a 415.
  const json = jsonBodyReader(config.BODY_LIMIT_BYTES, { anyContentType: true });
  const run: RequestHandler = async (req, res) => {
    sendEnvelope(res, await executeRun(deps, req.body, req.correlationId));
  };

  app
    .route('/healthz')
    .get((_req, res) => {
      res.json({ ok: true });
    })
    .all(methodNotAllowed(meta, 'GET, HEAD'));
  app.route('/run').post(json, run).all(methodNotAllowed(meta, 'POST'));
  app
    .route('/run-stream')
    .post(json, runStreamHandler(deps, logger))
    .all(methodNotAllowed(meta, 'POST'));
  app.route('/openapi.json').get(openapiHandler()).all(methodNotAllowed(meta, 'GET, HEAD'));

  app.use((_req, res) => {
    sendEnvelope(res, errorEnvelope(meta, '', 'ERR_NOT_FOUND'));
  });

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const { code, issues } = requestFailureOf(err);
    const internal = code === 'ERR_INTERNAL';
    const fields = {
      reason: code,
      correlation_id: req.correlationId,
      ...(internal ? { err } : {}),
    };
    if (internal) {
      logger.error(fields, 'http.run.error');
    } else {
      logger.warn(fields, 'http.run.error');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    sendEnvelope(res, errorEnvelope(meta, '', code, issues));
  };
  app.use(onError);
  return app;
}

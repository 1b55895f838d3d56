import type { ProcessorEnvelope, ProcessorErrorCode } from '@agentplane/contracts';
import { type Logger, openSse } from '@agentplane/http-kit';
import express, {
  type ErrorRequestHandler,
  type Express,
  type RequestHandler,
  type Response,
} from 'express';
import type { ProcessorConfig } from './config.js';
import { envFingerprint, errorEnvelope } from './envelopes.js';
import type { ProcessorDefinition } from './handler.js';
import { createInputsValidator } from './inputs-validator.js';
import { executeRun, type RunDeps } from './run.js';
import { processorStatusFor } from './status-for.js';

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

function send(res: Response, envelope: ProcessorEnvelope): void {
  const status = envelope.status === 'success' ? 200 : processorStatusFor(envelope.error.code);
  res.status(status).json(envelope);
}

// body-parser's error types; anything else reaching the error handler is a bug of ours.
function codeOfBodyError(type: unknown): ProcessorErrorCode {
  switch (type) {
    case 'entity.parse.failed':
      return 'ERR_MALFORMED_JSON';
    case 'entity.too.large':
      return 'ERR_PAYLOAD_TOO_LARGE';
    case 'encoding.unsupported':
    case 'charset.unsupported':
    case 'request.size.invalid':
    case 'request.aborted':
      return 'ERR_REQUEST_INVALID';
    default:
      return 'ERR_INTERNAL';
  }
}

/**
 * The HTTP face of a processor: GET /healthz, POST /run (one envelope), POST /run-stream (SSE
 * ending in `done`). Every failure, including malformed or oversized bodies and unknown routes, is
 * an error envelope. Built bare (no compression, metrics or request log middleware) to keep /run's
 * overhead small: the run's own events are its log.
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

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  // Any content type is read as JSON: curl without a header still gets a run, not a 415.
  const json = express.json({ limit: config.BODY_LIMIT_BYTES, type: () => true });

  const run: RequestHandler = async (req, res) => {
    send(res, await executeRun(deps, req.body));
  };

  const runStream: RequestHandler = async (req, res) => {
    const sse = openSse(req, res, { log: logger });
    const envelope = await executeRun(deps, req.body, {
      started: (execution_id) =>
        void sse.send({ event: 'started', data: { event: 'started', execution_id } }),
      progress: (event) => void sse.send({ event: 'progress', data: event }),
    });
    await sse.send({ event: 'done', data: { event: 'done', envelope } });
    sse.close();
  };

  app.post('/run', json, run);
  app.post('/run-stream', json, runStream);

  app.use((_req, res) => {
    send(res, errorEnvelope(meta, '', 'ERR_NOT_FOUND'));
  });

  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const code = codeOfBodyError((err as { type?: unknown }).type);
    const log = code === 'ERR_INTERNAL' ? logger.error.bind(logger) : logger.warn.bind(logger);
    log({ reason: code, ...(code === 'ERR_INTERNAL' ? { err } : {}) }, 'http.run.error');
    if (res.headersSent) {
      res.end();
      return;
    }
    send(res, errorEnvelope(meta, '', code));
  };
  app.use(onError);
  return app;
}

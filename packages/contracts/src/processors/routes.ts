import { defineRoute } from '../common/route.js';
import { z } from '../common/zod.js';
import { ProcessorErrorEnvelope, ProcessorSuccessEnvelope } from './envelope.js';
import { ProcessorRunRequestBody } from './run.js';
import { ProcessorStreamEvent } from './stream.js';

export const ProcessorHealthResponseBody = z
  .object({ ok: z.literal(true) })
  .openapi('ProcessorHealthResponseBody');
export type ProcessorHealthResponseBody = z.infer<typeof ProcessorHealthResponseBody>;

const errorEnvelope = (description: string) => ({ description, schema: ProcessorErrorEnvelope });

/**
 * Processors answer envelopes, never the platform's `{error:{…}}` shape: every failure, down to
 * malformed JSON, is an error envelope. Its status says which family failed, but an adapter reads
 * the envelope whatever the status.
 */
/** What the HTTP server answers before routing: no Host header, or bytes that are not HTTP. */
export const processorMalformedRequestResponse = errorEnvelope(
  'The request is not valid HTTP or has no Host header (ERR_REQUEST_INVALID)',
);

const envelopeErrors = {
  400: errorEnvelope(
    'ERR_MALFORMED_JSON, ERR_REQUEST_INVALID, ERR_INPUTS_INVALID (issues lists every problem) or ' +
      'ERR_WRITE_PREFIX',
  ),
  403: errorEnvelope('mode=real refused in CI (ERR_CI_SAFETY)'),
  413: errorEnvelope('The body is over the size limit (ERR_PAYLOAD_TOO_LARGE)'),
  500: errorEnvelope('The handler failed (ERR_HANDLER, ERR_INTERNAL)'),
  502: errorEnvelope('A service the handler calls failed (ERR_UPSTREAM)'),
  503: errorEnvelope('mode=real without its secrets (ERR_SECRETS_MISSING)'),
  504: errorEnvelope('The run passed runtime.timeout_s (ERR_TIMEOUT)'),
} as const;

export const getProcessorHealth = defineRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getProcessorHealth',
  summary: 'Liveness of the processor',
  tags: ['health'],
  responses: { 200: { description: 'Up', schema: ProcessorHealthResponseBody } },
});

export const runProcessor = defineRoute({
  method: 'post',
  path: '/run',
  operationId: 'runProcessor',
  summary: 'Run the processor once and answer exactly one envelope',
  description:
    'Validates the request and inputs, expands and creates write_prefix, runs the handler within ' +
    'runtime.timeout_s, writes the outputs index and a receipt under write_prefix.',
  tags: ['run'],
  request: { body: ProcessorRunRequestBody },
  responses: {
    200: { description: 'Success envelope', schema: ProcessorSuccessEnvelope },
    ...envelopeErrors,
  },
});

export const runProcessorStream = defineRoute({
  method: 'post',
  path: '/run-stream',
  operationId: 'runProcessorStream',
  summary: 'Run the processor, streaming progress; the last event is `done` with the envelope',
  description:
    'The request guards run before the stream opens: a refused request (malformed JSON, ' +
    'oversized body, request shape, mode=real in CI, missing secrets, inputs, write_prefix) gets ' +
    'the error envelope and status `/run` would answer, and no stream. An accepted run answers ' +
    '200 with `started`, `progress`…, then exactly one `done` whose data is the final envelope ' +
    'itself; failures during the run (ERR_HANDLER, ERR_UPSTREAM, ERR_TIMEOUT, a symlinked ' +
    'artifact path) arrive as that envelope.',
  tags: ['run'],
  request: { body: ProcessorRunRequestBody },
  responses: {
    200: { kind: 'sse', description: 'started, progress…, done', events: ProcessorStreamEvent },
    400: envelopeErrors[400],
    403: envelopeErrors[403],
    413: envelopeErrors[413],
    500: errorEnvelope('An unexpected failure before the run started (ERR_INTERNAL)'),
    503: envelopeErrors[503],
  },
});

/** Every processor operation, keyed by operationId. */
export const processorRoutes = {
  getProcessorHealth,
  runProcessor,
  runProcessorStream,
} as const;
export type ProcessorRoutes = typeof processorRoutes;

import { z } from '../common/zod.js';

/**
 * Every code a processor envelope can carry. The ERR_ADAPTER_* codes, ERR_ENVELOPE_INVALID and
 * ERR_DIGEST_DRIFT are produced by the adapters (transport side), never by a processor.
 */
export const ProcessorErrorCode = z
  .enum([
    // Request guards (the kit).
    'ERR_MALFORMED_JSON',
    'ERR_PAYLOAD_TOO_LARGE',
    'ERR_REQUEST_INVALID',
    'ERR_INPUTS_INVALID',
    'ERR_WRITE_PREFIX',
    'ERR_CI_SAFETY',
    'ERR_SECRETS_MISSING',
    'ERR_TIMEOUT',
    'ERR_NOT_FOUND',
    'ERR_METHOD_NOT_ALLOWED',
    'ERR_HEADERS_TOO_LARGE',
    // The handler.
    'ERR_UPSTREAM',
    'ERR_HANDLER',
    'ERR_INTERNAL',
    // Adapters.
    'ERR_ADAPTER_TIMEOUT',
    'ERR_ADAPTER_UNREACHABLE',
    'ERR_ENVELOPE_INVALID',
    'ERR_DIGEST_DRIFT',
  ])
  .openapi('ProcessorErrorCode');
export type ProcessorErrorCode = z.infer<typeof ProcessorErrorCode>;

/** One problem of a request, e.g. an inputs field failing the JSON Schema. */
export const ProcessorIssue = z
  .object({
    path: z.string().describe('JSON pointer of the offending value, e.g. /inputs/text ("" = root)'),
    message: z.string(),
  })
  .openapi('ProcessorIssue');
export type ProcessorIssue = z.infer<typeof ProcessorIssue>;

export const ProcessorEnvelopeMeta = z
  .object({
    env_fingerprint: z.string().describe('From registry runtime, e.g. cpu:1;memory:2Gi'),
    image_digest: z.string().describe('sha256:… of the running image ("unknown" outside one)'),
    duration_ms: z.number().nonnegative().optional().describe('Present on success'),
  })
  .openapi('ProcessorEnvelopeMeta');
export type ProcessorEnvelopeMeta = z.infer<typeof ProcessorEnvelopeMeta>;

export const ProcessorOutput = z
  .object({
    path: z.string().describe('Absolute path under the expanded write_prefix'),
    mime: z.string().optional(),
    sha256: z.string().optional(),
    size_bytes: z.int().nonnegative().optional(),
  })
  .openapi('ProcessorOutput');
export type ProcessorOutput = z.infer<typeof ProcessorOutput>;

export const ProcessorSuccessEnvelope = z
  .object({
    status: z.literal('success'),
    execution_id: z.string(),
    outputs: z.array(ProcessorOutput),
    index_path: z.string().describe('The outputs index (outputs.json) under the write_prefix'),
    receipt_path: z.string().optional().describe('The run receipt (receipt.json)'),
    meta: ProcessorEnvelopeMeta,
  })
  .openapi('ProcessorSuccessEnvelope');
export type ProcessorSuccessEnvelope = z.infer<typeof ProcessorSuccessEnvelope>;

export const ProcessorErrorEnvelope = z
  .object({
    status: z.literal('error'),
    execution_id: z.string().describe('Empty when the request had none'),
    error: z.object({
      code: ProcessorErrorCode,
      message: z.string().describe('Stable per code; specifics are in issues'),
      issues: z.array(ProcessorIssue).optional(),
    }),
    meta: ProcessorEnvelopeMeta,
  })
  .openapi('ProcessorErrorEnvelope');
export type ProcessorErrorEnvelope = z.infer<typeof ProcessorErrorEnvelope>;

/** Exactly one of these answers every `/run` (seed §4). */
export const ProcessorEnvelope = z
  .discriminatedUnion('status', [ProcessorSuccessEnvelope, ProcessorErrorEnvelope])
  .openapi('ProcessorEnvelope');
export type ProcessorEnvelope = z.infer<typeof ProcessorEnvelope>;

/** The outputs index written at `index_path`. */
export const ProcessorOutputsIndex = z
  .object({
    execution_id: z.string(),
    ref: z.string(),
    outputs: z.array(ProcessorOutput),
  })
  .openapi('ProcessorOutputsIndex');
export type ProcessorOutputsIndex = z.infer<typeof ProcessorOutputsIndex>;

/** The run receipt written beside the index: what ran, on what, producing which bytes. */
export const ProcessorReceipt = z
  .object({
    execution_id: z.string(),
    ref: z.string(),
    mode: z.enum(['mock', 'real']),
    schema: z.string(),
    inputs_sha256: z.string().describe('sha256 of the inputs as canonical JSON (sorted keys)'),
    outputs: z.array(
      z.object({ path: z.string(), sha256: z.string(), size_bytes: z.int().nonnegative() }),
    ),
    started_at: z.iso.datetime(),
    finished_at: z.iso.datetime(),
    duration_ms: z.number().nonnegative(),
    image_digest: z.string(),
    env_fingerprint: z.string(),
  })
  .openapi('ProcessorReceipt');
export type ProcessorReceipt = z.infer<typeof ProcessorReceipt>;

import {
  type ProcessorEnvelope,
  ProcessorEnvelope as ProcessorEnvelopeSchema,
  type ProcessorErrorEnvelope,
  type ProcessorIssue,
} from '@agentplane/contracts';
import { STABLE_MESSAGES } from '@agentplane/processor-kit';
import { normaliseDigest } from './digest.js';
import type { HttpOutcome } from './http-call.js';
import type { ProcessorTarget } from './target.js';

/** The codes the transport side produces (their stable messages are the kit's). */
export type AdapterErrorCode =
  | 'ERR_ADAPTER_TIMEOUT'
  | 'ERR_ADAPTER_UNREACHABLE'
  | 'ERR_ENVELOPE_INVALID'
  | 'ERR_DIGEST_DRIFT'
  | 'ERR_WRITE_PREFIX';

/** An error envelope made on the transport side, in the shape a processor would have answered. */
export function adapterError(
  target: ProcessorTarget,
  executionId: string,
  code: AdapterErrorCode,
  issue?: string | ProcessorIssue,
  imageDigest?: string,
): ProcessorErrorEnvelope {
  const issues: ProcessorIssue[] | undefined =
    issue === undefined
      ? undefined
      : [typeof issue === 'string' ? { path: '', message: issue } : issue];
  return {
    status: 'error',
    execution_id: executionId,
    error: { code, message: STABLE_MESSAGES[code], ...(issues ? { issues } : {}) },
    meta: {
      env_fingerprint: target.envFingerprint,
      image_digest: imageDigest ?? target.expectedDigest ?? 'unknown',
    },
  };
}

/** An HTTP answer from a processor's /run. */
export interface RunAnswer {
  status: number;
  body: string;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The envelope an answer stands for: the processor's own when the body is a valid envelope and its
 * meta.image_digest matches what registry.yaml pins; ERR_ENVELOPE_INVALID or ERR_DIGEST_DRIFT
 * otherwise. A non-2xx status with a valid envelope is the processor's error and passes through.
 */
export function settleAnswer(
  target: ProcessorTarget,
  executionId: string,
  answer: RunAnswer,
  imageDigest?: string,
): ProcessorEnvelope {
  const invalid = (issue: string | ProcessorIssue) =>
    adapterError(target, executionId, 'ERR_ENVELOPE_INVALID', issue, imageDigest);
  const json = parseJson(answer.body);
  if (!json.ok) {
    return invalid(`HTTP ${answer.status}, body is not JSON (${json.reason})`);
  }
  const parsed = ProcessorEnvelopeSchema.safeParse(json.value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return invalid({
      path: first && first.path.length > 0 ? `/${first.path.map(String).join('/')}` : '',
      message: `HTTP ${answer.status}: ${first?.message ?? 'not an envelope'}`,
    });
  }
  const envelope = parsed.data;
  // Another run's envelope is a misrouted answer; an empty id is a processor refusing the request
  // before it could trust the id.
  if (envelope.execution_id !== executionId && envelope.execution_id !== '') {
    return invalid({
      path: '/execution_id',
      message: `answers ${envelope.execution_id}, the request was ${executionId}`,
    });
  }
  return checkDigest(target, envelope);
}

/** ERR_DIGEST_DRIFT when the envelope reports another image than registry.yaml pins. */
export function checkDigest(
  target: ProcessorTarget,
  envelope: ProcessorEnvelope,
): ProcessorEnvelope {
  if (target.expectedDigest === undefined) {
    return envelope;
  }
  const reported = normaliseDigest(envelope.meta.image_digest);
  if (reported === target.expectedDigest) {
    return envelope;
  }
  return adapterError(
    target,
    envelope.execution_id,
    'ERR_DIGEST_DRIFT',
    {
      path: '/meta/image_digest',
      message: `registry.yaml pins ${target.expectedDigest}, the processor reports ${envelope.meta.image_digest}`,
    },
    envelope.meta.image_digest,
  );
}

/** The envelope for how a POST /run ended, whether or not anything answered. */
export function settleOutcome(
  target: ProcessorTarget,
  executionId: string,
  outcome: HttpOutcome,
  timeoutMs: number,
  imageDigest?: string,
): ProcessorEnvelope {
  switch (outcome.kind) {
    case 'timeout':
      return adapterError(
        target,
        executionId,
        'ERR_ADAPTER_TIMEOUT',
        `no answer to POST /run within ${timeoutMs} ms`,
        imageDigest,
      );
    case 'unreachable':
      return adapterError(
        target,
        executionId,
        'ERR_ADAPTER_UNREACHABLE',
        `POST /run: ${outcome.reason}`,
        imageDigest,
      );
    case 'too-large':
      return adapterError(
        target,
        executionId,
        'ERR_ENVELOPE_INVALID',
        `answer larger than ${outcome.limit} bytes`,
        imageDigest,
      );
    case 'answer':
      return settleAnswer(target, executionId, outcome, imageDigest);
  }
}

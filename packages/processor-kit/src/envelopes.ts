import type {
  ProcessorEnvelope,
  ProcessorEnvelopeMeta,
  ProcessorErrorCode,
  ProcessorErrorEnvelope,
  ProcessorIssue,
  ProcessorRegistry,
} from '@agentplane/contracts';
import type { Response } from 'express';
import { STABLE_MESSAGES } from './processor-error.js';
import { processorStatusFor } from './status-for.js';

/** `cpu:1;memory:2Gi` (plus `;gpu:…` when the runtime has one), from registry runtime. */
export function envFingerprint(registry: ProcessorRegistry): string {
  const { cpu, memory_gb, gpu } = registry.runtime;
  return `cpu:${cpu};memory:${memory_gb}Gi${gpu === null ? '' : `;gpu:${gpu}`}`;
}

/** The meta every envelope carries; computed once per process. */
export type BaseMeta = Pick<ProcessorEnvelopeMeta, 'env_fingerprint' | 'image_digest'>;

export function errorEnvelope(
  meta: BaseMeta,
  executionId: string,
  code: ProcessorErrorCode,
  issues: readonly ProcessorIssue[] = [],
): ProcessorErrorEnvelope {
  return {
    status: 'error',
    execution_id: executionId,
    error: {
      code,
      message: STABLE_MESSAGES[code],
      ...(issues.length > 0 ? { issues: [...issues] } : {}),
    },
    meta: { ...meta },
  };
}

/** Answers `envelope` as JSON with the status of its code (200 for a success). */
export function sendEnvelope(res: Response, envelope: ProcessorEnvelope): void {
  const status = envelope.status === 'success' ? 200 : processorStatusFor(envelope.error.code);
  res.status(status).json(envelope);
}

import type { ProcessorEnvelope, ProcessorRunRequestBody } from '@agentplane/contracts';
import type { ProcessorTarget } from './target.js';

/**
 * Transport to one processor (seed §2): send a run request, get back exactly one envelope. Never
 * rejects for a processor's or the transport's failure; those come back as error envelopes
 * (ERR_ADAPTER_TIMEOUT, ERR_ADAPTER_UNREACHABLE, ERR_ENVELOPE_INVALID, ERR_DIGEST_DRIFT).
 */
export interface ProcessorAdapter {
  readonly kind: 'local' | 'remote';
  readonly target: ProcessorTarget;
  run(
    request: ProcessorRunRequestBody,
    options?: { signal?: AbortSignal },
  ): Promise<ProcessorEnvelope>;
  /** Waits for background clean-up (containers being stopped and removed), then frees sockets. */
  close(): Promise<void>;
}

/** The slice of a pino logger the adapters use (NDJSON on stderr in practice). */
export interface AdapterLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export const silentLogger: AdapterLogger = { info() {}, warn() {} };

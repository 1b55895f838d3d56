import type {
  ProcessorMode,
  ProcessorProgressEvent,
  ProcessorRegistry,
} from '@agentplane/contracts';
import type { RunLog } from './run-log.js';

export interface HandlerContext {
  executionId: string;
  mode: ProcessorMode;
  /** The request's `schema` (inputs shape version). */
  schema: string;
  /** Already validated against registry.yaml `inputs`. */
  inputs: Record<string, unknown>;
  /** The expanded, created, real write_prefix. */
  writePrefix: string;
  /** Aborts at the deadline (runtime.timeout_s): stop work, the run already answered ERR_TIMEOUT. */
  signal: AbortSignal;
  /** The process environment (secrets for mode=real live here). */
  env: Readonly<Record<string, string | undefined>>;
  log: RunLog;
  /** Reports progress (an SSE `progress` event on /run-stream; nothing on /run). */
  progress(stage: string, detail?: Omit<ProcessorProgressEvent, 'event' | 'stage'>): void;
  /**
   * Writes an artifact at `relPath` under write_prefix (e.g. `outputs/response.txt`), confined to
   * it, and records it (sha256, size) for the envelope, the index and the receipt. `mime` defaults
   * to the registry's declaration for the path.
   */
  writeOutput(relPath: string, data: string | Uint8Array, mime?: string): Promise<string>;
}

/** A processor's business logic: read inputs, write outputs with `ctx.writeOutput`. */
export type ProcessorHandler = (ctx: HandlerContext) => Promise<void>;

/** A processor is a handler plus its registry.yaml. */
export interface ProcessorDefinition {
  registry: ProcessorRegistry;
  handler: ProcessorHandler;
}

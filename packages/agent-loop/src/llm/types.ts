import type { StreamErrorCode, TokenUsage } from '@agentplane/contracts';

/** A tool call as the model made it; `arguments` is the raw JSON text the model produced. */
export interface LlmToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** One part of a multimodal user message (OpenAI's content-part shape, which the vendors share). */
export type LlmContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } };

/**
 * The conversation as the loop keeps it: provider-neutral, JSON-serialisable (the engine stores
 * it in the brain), with dotted tool names as the catalog spells them.
 */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | LlmContentPart[] }
  | { role: 'assistant'; content: string; tool_calls?: LlmToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** What the model is told about one tool. */
export interface LlmToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export type ReasoningEffort = 'low' | 'medium' | 'high';

export interface LlmRequest {
  model: string;
  messages: readonly ChatMessage[];
  /** Absent or empty: the model is not offered tools (and the request carries no `tools`). */
  tools?: readonly LlmToolSpec[];
  reasoningEffort?: ReasoningEffort;
  signal: AbortSignal;
}

/**
 * One piece of a streamed response. Tool calls arrive complete (fragments are assembled by the
 * implementation); `usage` and `finish` come at most once each, near the end.
 */
export type LlmChunk =
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string }
  | { type: 'tool_call'; call: LlmToolCall }
  | { type: 'usage'; usage: TokenUsage }
  | { type: 'finish'; reason: string };

/** The one LLM interface: the OpenAI-compatible client and the mock both implement it. */
export interface LlmClient {
  /**
   * Streams one model call. Failures are thrown from the iterator as {@link LlmError}; an abort
   * of `req.signal` ends the iteration by throwing the signal's reason (or an AbortError).
   */
  stream(req: LlmRequest): AsyncIterable<LlmChunk>;
}

/** The subset of the contracts' StreamErrorCode that a model call can fail with. */
export type LlmErrorCode = Extract<
  StreamErrorCode,
  'LLM_ERROR' | 'LLM_RATE_LIMITED' | 'LLM_TIMEOUT' | 'CONTEXT_OVERFLOW'
>;

export interface LlmErrorOptions {
  code: LlmErrorCode;
  message: string;
  /** True when the same call may succeed later (rate limit, time-out, 5xx, dropped connection). */
  retriable: boolean;
  /** The provider's HTTP status, when there was one. */
  status?: number;
  /** From a Retry-After header, when the provider sent one. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** A failed model call, typed so the loop can decide between retrying and giving up. */
export class LlmError extends Error {
  readonly code: LlmErrorCode;
  readonly retriable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(options: LlmErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = 'LlmError';
    this.code = options.code;
    this.retriable = options.retriable;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isLlmError(error: unknown): error is LlmError {
  return error instanceof LlmError;
}

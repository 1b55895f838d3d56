import { setTimeout as sleep } from 'node:timers/promises';
import type { TokenUsage } from '@agentplane/contracts';
import type { LoopDataEvent } from './events.js';
import {
  type ChatMessage,
  type LlmClient,
  LlmError,
  type LlmToolCall,
  type LlmToolSpec,
  type ReasoningEffort,
} from './llm/types.js';

export interface ModelCallOptions {
  llm: LlmClient;
  model: string;
  messages: readonly ChatMessage[];
  tools: readonly LlmToolSpec[];
  reasoningEffort: ReasoningEffort | undefined;
  signal: AbortSignal;
  retries: number;
  retryBaseDelayMs: number;
  emit: (event: LoopDataEvent) => Promise<void>;
}

/** What one model call produced; `text` is also filled while streaming, for partial output. */
export interface ModelCallState {
  text: string;
  toolCalls: LlmToolCall[];
  usage: TokenUsage | undefined;
}

const MAX_RETRY_DELAY_MS = 30_000;

function asLlmError(error: unknown): LlmError {
  if (error instanceof LlmError) {
    return error;
  }
  // A bug in an LlmClient implementation: not worth repeating.
  const message = error instanceof Error ? error.message : String(error);
  return new LlmError({ code: 'LLM_ERROR', message, retriable: false, cause: error });
}

/** Thrown when the host's `emit` fails, so it is not mistaken for a model failure. */
export class EmitError extends Error {}

async function attempt(options: ModelCallOptions, state: ModelCallState): Promise<void> {
  const request = {
    model: options.model,
    messages: options.messages,
    signal: options.signal,
    ...(options.tools.length > 0 ? { tools: options.tools } : {}),
    ...(options.reasoningEffort ? { reasoningEffort: options.reasoningEffort } : {}),
  };
  for await (const chunk of options.llm.stream(request)) {
    options.signal.throwIfAborted();
    switch (chunk.type) {
      case 'text':
        state.text += chunk.text;
        await options.emit({ event: 'text_delta', text: chunk.text });
        break;
      case 'thinking':
        await options.emit({ event: 'thinking_delta', text: chunk.text });
        break;
      case 'tool_call':
        state.toolCalls.push(chunk.call);
        break;
      case 'usage':
        state.usage = chunk.usage;
        break;
      case 'finish':
        break;
    }
  }
  // An LlmClient may end its stream quietly on abort; the run must not mistake that for an answer.
  options.signal.throwIfAborted();
}

/**
 * One model call, streamed to `emit`, retried on a retriable failure as long as nothing of it
 * was emitted yet (a retry after partial text would show the text twice). Each retry is
 * announced by an `error` event with `retriable: true`. Throws the final {@link LlmError}, the
 * signal's reason on cancel, or an {@link EmitError}.
 */
export async function callModel(options: ModelCallOptions, state: ModelCallState): Promise<void> {
  for (let n = 0; ; n += 1) {
    let emitted = false;
    const tracked: ModelCallOptions = {
      ...options,
      emit: async (event) => {
        emitted = true;
        try {
          await options.emit(event);
        } catch (error) {
          throw new EmitError('emit failed', { cause: error });
        }
      },
    };
    try {
      await attempt(tracked, state);
      return;
    } catch (error) {
      if (error instanceof EmitError || options.signal.aborted) {
        throw options.signal.aborted ? options.signal.reason : error;
      }
      const failure = asLlmError(error);
      if (!failure.retriable || emitted || n >= options.retries) {
        throw failure;
      }
      state.toolCalls = [];
      const delay = Math.min(
        MAX_RETRY_DELAY_MS,
        failure.retryAfterMs ?? options.retryBaseDelayMs * 2 ** n,
      );
      await tracked.emit({
        event: 'error',
        code: failure.code,
        message: `${failure.message} (retry ${n + 1} of ${options.retries} in ${Math.round(delay)} ms)`,
        retriable: true,
      });
      await sleep(delay, undefined, { signal: options.signal });
    }
  }
}

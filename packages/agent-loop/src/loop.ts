import type { StreamErrorCode, TokenUsage } from '@agentplane/contracts';
import {
  cancelReasonOf,
  type LoopDataEvent,
  type LoopEvent,
  type LoopTerminalEvent,
} from './events.js';
import type { ChatMessage, LlmClient, LlmToolCall, ReasoningEffort } from './llm/types.js';
import { LlmError } from './llm/types.js';
import { callModel, EmitError, type ModelCallState } from './model-call.js';
import { type Approve, parseArguments, startToolCalls, type ToolOutcome } from './run-tools.js';
import { type ToolRegistry, toolSpecs } from './tools.js';
import type { ModelResponse, TurnHooks, TurnToolResult } from './turn-hooks.js';

export interface AgentLoopOptions {
  llm: LlmClient;
  model: string;
  /** System prompt, history and the new user message, in order. Not modified. */
  messages: readonly ChatMessage[];
  /** Tools the model may call; default none. */
  tools?: ToolRegistry;
  /** Model calls allowed in this run, 1..500; default 50. */
  maxTurns?: number;
  /** One model call, no tools offered. */
  direct?: boolean;
  reasoningEffort?: ReasoningEffort;
  /** Abort to cancel; `abort('shutdown' | 'client_disconnect' | 'cancel_request')` names why. */
  signal?: AbortSignal;
  /** Tool calls of one model response run in parallel, at most this many at once; default 4. */
  toolConcurrency?: number;
  /** Retries of a model call that failed retriably before streaming anything; default 2. */
  llmRetries?: number;
  /** First retry delay, doubled each time (a Retry-After header wins); default 500 ms. */
  retryBaseDelayMs?: number;
  /** Asked before a tool with `needs_approval` runs; absent = such tools are denied. */
  approve?: Approve;
  /** Receives every event in order; awaited, so a slow consumer slows the loop (backpressure). */
  emit: (event: LoopEvent) => Promise<void> | void;
  /** Called at turn boundaries (checkpoints); see TurnHooks. */
  hooks?: TurnHooks;
  /**
   * The first turn's model response, already known (a durable host resuming a turn it had
   * checkpointed after the model call): the model is not called again for it, so its tool
   * call ids stay the same and recorded side effects can be recognised.
   */
  resumeWith?: ModelResponse;
}

export type AgentLoopStatus = 'completed' | 'errored' | 'cancelled';

export interface AgentLoopResult {
  status: AgentLoopStatus;
  /** The one terminal event emitted. */
  terminal: LoopTerminalEvent;
  /**
   * Messages this run added after `opts.messages`: assistant replies (with their tool calls) and
   * tool results. On error or cancel the partial assistant text is the last entry, so the host
   * can keep it (marked).
   */
  messages: ChatMessage[];
  /** Text of the last assistant reply (the answer, on completion). */
  text: string;
  /** Sum over every model call of the run. */
  usage: TokenUsage;
  modelCalls: number;
  /** On an INTERNAL_ERROR: what was thrown (for the host's log; never sent to clients). */
  cause?: unknown;
}

const DEFAULT_MAX_TURNS = 50;
const MAX_TURNS_LIMIT = 500;
const ZERO_USAGE: TokenUsage = { input_tokens: 0, output_tokens: 0, cache_hit_tokens: 0 };

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_hit_tokens: a.cache_hit_tokens + b.cache_hit_tokens,
  };
}

function checkOptions(opts: AgentLoopOptions): number {
  const maxTurns = opts.maxTurns ?? DEFAULT_MAX_TURNS;
  if (!Number.isInteger(maxTurns) || maxTurns < 1 || maxTurns > MAX_TURNS_LIMIT) {
    throw new RangeError(`maxTurns must be an integer in 1..${MAX_TURNS_LIMIT}, got ${maxTurns}`);
  }
  const concurrency = opts.toolConcurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`toolConcurrency must be a positive integer, got ${concurrency}`);
  }
  return opts.direct ? 1 : maxTurns;
}

function assistantMessage(text: string, toolCalls: LlmToolCall[]): ChatMessage {
  return toolCalls.length > 0
    ? { role: 'assistant', content: text, tool_calls: toolCalls }
    : { role: 'assistant', content: text };
}

/** Resolves with the value, or rejects with the signal's reason as soon as it aborts. */
function orAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function toolResultEvent(outcome: ToolOutcome): LoopDataEvent {
  return {
    event: 'tool_result',
    tool_call_id: outcome.call.id,
    tool: outcome.call.name,
    output: outcome.error ? undefined : outcome.output,
    error: outcome.error,
    duration_ms: outcome.durationMs,
  };
}

/**
 * Runs one agent turn: model call → tool calls (in parallel, bounded, results in call order) →
 * next model call, until the model answers without tools or `maxTurns` model calls were made.
 * Streams events to `opts.emit` and always ends with exactly one terminal event:
 * `thread.completed` (`end_turn` | `max_turns`), `thread.errored` (after an `error` event with
 * `retriable: false`; the terminal's `retriable` says whether re-sending may succeed) or
 * `thread.cancelled`. It rejects only for invalid options (RangeError, before any event).
 *
 * ```ts
 * const result = await runAgentLoop({ llm, model: 'mock', messages, tools, emit: send });
 * ```
 */
export async function runAgentLoop(opts: AgentLoopOptions): Promise<AgentLoopResult> {
  const maxTurns = checkOptions(opts);
  const started = performance.now();
  const signal = opts.signal ?? new AbortController().signal;
  const tools: ToolRegistry = opts.direct ? new Map() : (opts.tools ?? new Map());
  const specs = toolSpecs(tools);
  const appended: ChatMessage[] = [];
  let usage = ZERO_USAGE;
  let modelCalls = 0;
  let lastText = '';
  let partial: ModelCallState | undefined;

  const emit = async (event: LoopDataEvent): Promise<void> => {
    try {
      await opts.emit(event);
    } catch (error) {
      throw new EmitError('emit failed', { cause: error });
    }
  };
  const hook = async (call: (hooks: TurnHooks) => Promise<void> | void): Promise<void> => {
    if (opts.hooks) {
      try {
        await call(opts.hooks);
      } catch (error) {
        throw new EmitError('turn hook failed', { cause: error });
      }
    }
  };

  const finish = async (
    status: AgentLoopStatus,
    terminal: LoopTerminalEvent,
  ): Promise<AgentLoopResult> => {
    if (partial && partial.text !== '') {
      appended.push({ role: 'assistant', content: partial.text });
      lastText = partial.text;
    }
    // A host whose emit fails cannot be told anything more; the result still says how it ended.
    await Promise.resolve()
      .then(() => opts.emit(terminal))
      .catch(() => {});
    return { status, terminal, messages: appended, text: lastText, usage, modelCalls };
  };

  const fail = async (
    code: StreamErrorCode,
    message: string,
    retriable: boolean,
    cause?: unknown,
  ): Promise<AgentLoopResult> => {
    await emit({ event: 'error', code, message, retriable: false }).catch(() => {});
    const result = await finish('errored', { event: 'thread.errored', code, message, retriable });
    return cause === undefined ? result : { ...result, cause };
  };

  try {
    for (let turn = 1; ; turn += 1) {
      signal.throwIfAborted();
      const turnStarted = performance.now();
      await hook((h) => h.turnStart?.(turn));
      let response: ModelResponse;
      if (turn === 1 && opts.resumeWith) {
        response = opts.resumeWith;
      } else {
        modelCalls += 1;
        response = await modelTurn(
          opts,
          [...opts.messages, ...appended],
          specs,
          signal,
          emit,
          (s) => {
            partial = s;
          },
        );
      }
      partial = undefined;
      usage = addUsage(usage, response.usage);
      await emit({ event: 'usage', model: opts.model, ...response.usage });
      await hook((h) => h.modelResponse?.(turn, response));
      const turnMessages: ChatMessage[] = [assistantMessage(response.text, response.toolCalls)];
      const toolResults: TurnToolResult[] = [];
      appended.push(turnMessages[0] as ChatMessage);
      lastText = response.text;
      const endTurn = () =>
        hook((h) =>
          h.turnEnd?.({
            turn,
            response,
            toolResults,
            messages: turnMessages,
            durationMs: performance.now() - turnStarted,
          }),
        );

      if (response.toolCalls.length === 0) {
        await endTurn();
        return await finish('completed', {
          event: 'thread.completed',
          stop_reason: 'end_turn',
          usage,
          duration_ms: performance.now() - started,
        });
      }
      const calls = response.toolCalls.map((call) => ({
        call,
        args: parseArguments(call.arguments),
      }));
      for (const { call, args } of calls) {
        await emit({
          event: 'tool_call',
          tool_call_id: call.id,
          tool: call.name,
          arguments: args ?? {},
        });
      }
      const outcomes =
        turn < maxTurns
          ? startToolCalls(calls, {
              tools,
              concurrency: opts.toolConcurrency ?? 4,
              signal,
              approve: opts.approve,
            })
          : // The model would never see these results: the calls are answered, not run, so the
            // history stays valid (every tool call has its tool message).
            calls.map(({ call, args }) =>
              Promise.resolve(notRun(call, args, `not run: max_turns (${maxTurns}) reached`)),
            );
      for (const pending of outcomes) {
        const outcome = await orAbort(pending, signal);
        await emit(toolResultEvent(outcome));
        const message: ChatMessage = {
          role: 'tool',
          tool_call_id: outcome.call.id,
          content: outcome.content,
        };
        appended.push(message);
        turnMessages.push(message);
        toolResults.push(turnToolResult(outcome));
      }
      await endTurn();
      if (turn >= maxTurns) {
        return await finish('completed', {
          event: 'thread.completed',
          stop_reason: 'max_turns',
          usage,
          duration_ms: performance.now() - started,
        });
      }
    }
  } catch (error) {
    if (signal.aborted) {
      return finish('cancelled', { event: 'thread.cancelled', reason: cancelReasonOf(signal) });
    }
    if (error instanceof LlmError) {
      return fail(error.code, error.message, error.retriable);
    }
    const message = error instanceof EmitError ? 'event delivery failed' : 'agent loop failed';
    return fail('INTERNAL_ERROR', message, false, error);
  }
}

/** One model call, streamed through `emit`; `onPartial` sees the text while it grows. */
async function modelTurn(
  opts: AgentLoopOptions,
  messages: ChatMessage[],
  specs: ReturnType<typeof toolSpecs>,
  signal: AbortSignal,
  emit: (event: LoopDataEvent) => Promise<void>,
  onPartial: (state: ModelCallState) => void,
): Promise<ModelResponse> {
  const state: ModelCallState = { text: '', toolCalls: [], usage: undefined };
  onPartial(state);
  await callModel(
    {
      llm: opts.llm,
      model: opts.model,
      messages,
      tools: specs,
      reasoningEffort: opts.reasoningEffort,
      signal,
      retries: opts.llmRetries ?? 2,
      retryBaseDelayMs: opts.retryBaseDelayMs ?? 500,
      emit,
    },
    state,
  );
  return { text: state.text, toolCalls: state.toolCalls, usage: state.usage ?? ZERO_USAGE };
}

function turnToolResult(outcome: ToolOutcome): TurnToolResult {
  return {
    toolCallId: outcome.call.id,
    tool: outcome.call.name,
    arguments: outcome.arguments,
    ...(outcome.error ? {} : { output: outcome.output }),
    error: outcome.error,
    durationMs: outcome.durationMs,
  };
}

function notRun(
  call: LlmToolCall,
  args: Record<string, unknown> | undefined,
  message: string,
): ToolOutcome {
  const error = { code: 'TOOL_ERROR' as const, message };
  return {
    call,
    arguments: args ?? {},
    error,
    durationMs: 0,
    content: JSON.stringify({ error }),
  };
}

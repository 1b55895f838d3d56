import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import {
  type ChatMessage,
  type LlmChunk,
  type LlmClient,
  LlmError,
  type LlmRequest,
  type LlmToolCall,
} from './types.js';

export interface OpenAiLlmOptions {
  baseURL: string;
  apiKey: string;
  /**
   * A call fails with LLM_TIMEOUT when the provider sends nothing for this long: before the
   * response starts or between two chunks. A stalled stream is cut, never left hanging.
   */
  timeoutMs?: number;
  /** Injected for tests of transports; default the global fetch. */
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 60_000;

type OpenAiSdk = typeof import('openai');
let sdk: OpenAiSdk | undefined;

/**
 * The SDK is imported on the first model call, not with this module: it is about a megabyte of
 * bundle that an engine on the mock model never runs, and the bundler puts a dynamic import in
 * its own chunk, parsed only when reached (issue 4: idle RSS and boot time).
 */
async function loadSdk(): Promise<OpenAiSdk> {
  sdk ??= await import('openai');
  return sdk;
}

/**
 * Catalog tool names are dotted (`memory.search`) but OpenAI and Anthropic accept only
 * `[a-zA-Z0-9_-]` in function names. A catalog name never contains `-`, so `.` ↔ `-` is a
 * lossless round trip.
 */
export function toWireToolName(name: string): string {
  return name.replaceAll('.', '-');
}

export function fromWireToolName(name: string): string {
  return name.replaceAll('-', '.');
}

function toWireMessage(message: ChatMessage): ChatCompletionMessageParam {
  if (message.role !== 'assistant') {
    return message;
  }
  const calls = message.tool_calls ?? [];
  if (calls.length === 0) {
    return { role: 'assistant', content: message.content };
  }
  return {
    role: 'assistant',
    // Some OpenAI-compatible servers reject an empty string next to tool calls; null is universal.
    content: message.content === '' ? null : message.content,
    tool_calls: calls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: toWireToolName(call.name), arguments: call.arguments },
    })),
  };
}

function buildParams(req: LlmRequest): ChatCompletionCreateParamsStreaming {
  const params: ChatCompletionCreateParamsStreaming = {
    model: req.model,
    messages: req.messages.map(toWireMessage),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (req.tools && req.tools.length > 0) {
    params.tools = req.tools.map((tool) => ({
      type: 'function',
      function: {
        name: toWireToolName(tool.name),
        description: tool.description,
        parameters: tool.parameters,
      },
    }));
  }
  if (req.reasoningEffort) {
    params.reasoning_effort = req.reasoningEffort;
  }
  return params;
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after');
  if (!value) {
    return undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds)) {
    return Math.max(0, seconds * 1000);
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Maps what the SDK throws to an {@link LlmError}; the message never carries the API key. */
export function toLlmError(error: unknown): LlmError {
  if (error instanceof LlmError) {
    return error;
  }
  // Before the SDK is loaded nothing can have thrown one of its errors.
  if (sdk && error instanceof sdk.APIConnectionTimeoutError) {
    return new LlmError({ code: 'LLM_TIMEOUT', message: 'model call timed out', retriable: true });
  }
  if (sdk && error instanceof sdk.APIError) {
    const status = error.status;
    const message = `provider error${status ? ` ${status}` : ''}: ${error.message}`;
    if (status === 429) {
      return new LlmError({
        code: 'LLM_RATE_LIMITED',
        message,
        retriable: true,
        status,
        retryAfterMs: retryAfterMs(error.headers),
        cause: error,
      });
    }
    if (error.code === 'context_length_exceeded') {
      return new LlmError({ code: 'CONTEXT_OVERFLOW', message, retriable: false, status });
    }
    // No status: the connection dropped or the provider failed after the 200 went out (an SSE
    // `error` event). 408/409 and 5xx are the statuses OpenAI documents as worth retrying.
    const retriable = status === undefined || status === 408 || status === 409 || status >= 500;
    return new LlmError({ code: 'LLM_ERROR', message, retriable, status, cause: error });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new LlmError({
    code: 'LLM_ERROR',
    message: `model call failed: ${text}`,
    retriable: true,
  });
}

/** Accumulates streamed tool-call fragments by index until the stream finishes. */
function createToolCallAssembler() {
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  return {
    add(delta: NonNullable<ChatCompletionChunk.Choice.Delta['tool_calls']>[number]) {
      const current = calls.get(delta.index) ?? { id: '', name: '', arguments: '' };
      current.id = delta.id ?? current.id;
      current.name += delta.function?.name ?? '';
      current.arguments += delta.function?.arguments ?? '';
      calls.set(delta.index, current);
    },
    drain(): LlmToolCall[] {
      const done = [...calls.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, call]) => ({
          id: call.id || `call_${index}`,
          name: fromWireToolName(call.name),
          arguments: call.arguments,
        }));
      calls.clear();
      return done;
    },
  };
}

/** Reasoning text as the OpenAI-compatible vendors send it (the field is not in OpenAI's types). */
function reasoningText(delta: ChatCompletionChunk.Choice.Delta): string | undefined {
  const loose = delta as { reasoning_content?: unknown; reasoning?: unknown };
  const text = loose.reasoning_content ?? loose.reasoning;
  return typeof text === 'string' && text !== '' ? text : undefined;
}

function* chunkToLlm(
  chunk: ChatCompletionChunk,
  assembler: ReturnType<typeof createToolCallAssembler>,
): Generator<LlmChunk> {
  for (const choice of chunk.choices) {
    const thinking = reasoningText(choice.delta);
    if (thinking) {
      yield { type: 'thinking', text: thinking };
    }
    if (choice.delta.content) {
      yield { type: 'text', text: choice.delta.content };
    }
    for (const call of choice.delta.tool_calls ?? []) {
      assembler.add(call);
    }
    if (choice.finish_reason) {
      for (const call of assembler.drain()) {
        yield { type: 'tool_call', call };
      }
      yield { type: 'finish', reason: choice.finish_reason };
    }
  }
  if (chunk.usage) {
    yield {
      type: 'usage',
      usage: {
        input_tokens: chunk.usage.prompt_tokens,
        output_tokens: chunk.usage.completion_tokens,
        cache_hit_tokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
      },
    };
  }
}

/** An inactivity timer that aborts a controller; `touch()` on every sign of life. */
function createWatchdog(controller: AbortController, timeoutMs: number) {
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  return { touch, stop: () => clearTimeout(timer), timedOut: () => timedOut };
}

/**
 * An {@link LlmClient} over the `openai` SDK's chat completions, for any OpenAI-compatible
 * endpoint. The SDK's own retries are off: the loop retries and reports each attempt.
 *
 * ```ts
 * const llm = createOpenAiLlm({ baseURL: 'https://api.openai.com/v1', apiKey });
 * for await (const chunk of llm.stream({ model: 'gpt-4o-mini', messages, signal })) { … }
 * ```
 */
export function createOpenAiLlm(options: OpenAiLlmOptions): LlmClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let client: OpenAI | undefined;
  const getClient = async (): Promise<OpenAI> => {
    const { default: OpenAiClient } = await loadSdk();
    client ??= new OpenAiClient({
      baseURL: options.baseURL,
      apiKey: options.apiKey,
      maxRetries: 0,
      // The watchdog below is the real bound; this only keeps the SDK from cutting in earlier.
      timeout: timeoutMs * 2,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    return client;
  };

  return {
    async *stream(req) {
      req.signal.throwIfAborted();
      const controller = new AbortController();
      const onAbort = () => controller.abort(req.signal.reason);
      req.signal.addEventListener('abort', onAbort, { once: true });
      const watchdog = createWatchdog(controller, timeoutMs);
      watchdog.touch();
      const assembler = createToolCallAssembler();
      try {
        const openai = await getClient();
        const stream = await openai.chat.completions.create(buildParams(req), {
          signal: controller.signal,
        });
        for await (const chunk of stream) {
          watchdog.touch();
          yield* chunkToLlm(chunk, assembler);
        }
        // The SDK ends an aborted stream quietly, as if it had finished: say why it ended.
        if (controller.signal.aborted) {
          throw controller.signal.reason;
        }
        // A provider that ends without a finish_reason still gets its tool calls delivered.
        for (const call of assembler.drain()) {
          yield { type: 'tool_call', call };
        }
      } catch (error) {
        if (req.signal.aborted) {
          throw req.signal.reason;
        }
        if (watchdog.timedOut() || (sdk && error instanceof sdk.APIUserAbortError)) {
          throw new LlmError({
            code: 'LLM_TIMEOUT',
            message: `model sent nothing for ${timeoutMs} ms`,
            retriable: true,
          });
        }
        throw toLlmError(error);
      } finally {
        watchdog.stop();
        req.signal.removeEventListener('abort', onAbort);
      }
    },
  };
}

import { randomUUID } from 'node:crypto';
import {
  CHAT_DEFAULT_MAX_TOKENS,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ChatCompletionUsage,
  type ChatMessage,
  PROMPT_MAX_CHARS,
  type TaskEvent,
  type TaskRequest,
} from '@agentplane/contracts';
import { ApiError } from '@agentplane/http-kit';

// OpenAI's chat completions as /v1 tasks: the request becomes a TaskRequest, the task's log
// becomes chunks (or one completion). The route (routes/v1-chat-completions.post.ts) wires them.

/** The engine family recorded on chat tasks (TaskRequest.engine: metric label, echoed on errors). */
const CHAT_ENGINE = 'agentplane';
/**
 * Latest start: an OpenAI SDK waits 10 minutes by default, so a task that cannot start within
 * that is refused at once (DEADLINE_UNMET) rather than left to time out.
 */
const CHAT_DEADLINE_MS = 600_000;
/** Not enforced yet (README: ctx); the largest TaskRequest accepts. */
const CHAT_CTX = 1_048_576;

function invalid(path: string, message: string): ApiError {
  return new ApiError({
    code: 'VALIDATION_ERROR',
    message,
    details: { issues: [{ path, message, code: 'custom' }] },
  });
}

const textOf = (m: ChatMessage) =>
  typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join('');

/**
 * The task of one chat request: a new task id, priority interactive, `user` as user_id, and the
 * session of X-Session-Id (else a new one). The last message, the user's, is the turn's prompt;
 * on a new session the earlier messages go before it as `role: text` paragraphs (an existing
 * session's engine already holds them).
 */
export function chatTaskRequest(
  body: ChatCompletionRequest,
  sessionId: string | undefined,
): TaskRequest {
  const lastIndex = body.messages.length - 1;
  const last = body.messages[lastIndex];
  if (last === undefined || last.role !== 'user') {
    throw invalid(`body.messages.${lastIndex}.role`, 'the last message must be the user’s');
  }
  if (textOf(last).trim() === '') {
    throw invalid(`body.messages.${lastIndex}.content`, 'the last message is empty');
  }
  const earlier =
    sessionId === undefined ? body.messages.slice(0, -1).map((m) => `${m.role}: ${textOf(m)}`) : [];
  const prompt = [...earlier, textOf(last)].join('\n\n');
  if (prompt.length > PROMPT_MAX_CHARS) {
    throw invalid('body.messages', `the messages are over ${PROMPT_MAX_CHARS} characters`);
  }
  return {
    task_id: randomUUID(),
    session_id: sessionId ?? randomUUID(),
    user_id: body.user,
    workload: 'completion',
    model_ref: body.model,
    engine: CHAT_ENGINE,
    ctx: CHAT_CTX,
    priority: 'interactive',
    prompt,
    max_tokens: body.max_completion_tokens ?? body.max_tokens ?? CHAT_DEFAULT_MAX_TOKENS,
    deadline_ms: CHAT_DEADLINE_MS,
    ...(body.seed == null ? {} : { seed: body.seed }),
  };
}

/** What every chunk of one completion repeats. */
export interface ChatFrame {
  id: string;
  created: number;
  model: string;
}

export function chatFrame(taskId: string, model: string): ChatFrame {
  return { id: `chatcmpl-${taskId}`, created: Math.floor(Date.now() / 1000), model };
}

/** How a task's log ends, for OpenAI: a finish reason, or an error (its code and message). */
export type ChatEnding =
  | { kind: 'finish'; reason: 'stop' | 'length'; usage: ChatCompletionUsage }
  | { kind: 'error'; error: ApiError };

/**
 * Folds a task's events into chat terms: `onText` gets each token's text, the end comes back as
 * a ChatEnding (prompt tokens: what the engine's usage metrics reported, summed over its model
 * calls; completion tokens: the tokens streamed).
 */
export function createChatFold() {
  let promptTokens = 0;
  return {
    /** The text of a token event, the ending of a terminal one, else undefined. */
    push(e: TaskEvent): { text: string } | { end: ChatEnding } | undefined {
      switch (e.event) {
        case 'token':
          return { text: e.t };
        case 'metrics':
          promptTokens += e.usage?.input_tokens ?? 0;
          return undefined;
        case 'end':
          if (e.stop_reason === 'canceled') {
            return {
              end: {
                kind: 'error',
                error: new ApiError({ code: 'CONFLICT', message: 'The task was cancelled' }),
              },
            };
          }
          return {
            end: {
              kind: 'finish',
              reason: e.stop_reason === 'end_turn' ? 'stop' : 'length',
              usage: {
                prompt_tokens: promptTokens,
                completion_tokens: e.tokens_out,
                total_tokens: promptTokens + e.tokens_out,
              },
            },
          };
        case 'error':
          return {
            end: { kind: 'error', error: new ApiError({ code: e.code, message: e.message }) },
          };
        default:
          return undefined;
      }
    },
  };
}

type Delta = ChatCompletionChunk['choices'][number]['delta'];

export function chatChunk(
  frame: ChatFrame,
  delta: Delta,
  finish: 'stop' | 'length' | null,
  usage?: ChatCompletionUsage | null,
): ChatCompletionChunk {
  return {
    ...frame,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    ...(usage === undefined ? {} : { usage }),
  };
}

/** The last chunk of include_usage: no choices, the usage. */
export function usageChunk(frame: ChatFrame, usage: ChatCompletionUsage): ChatCompletionChunk {
  return { ...frame, object: 'chat.completion.chunk', choices: [], usage };
}

export function chatCompletion(
  frame: ChatFrame,
  text: string,
  ending: Extract<ChatEnding, { kind: 'finish' }>,
): ChatCompletion {
  return {
    ...frame,
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null },
        finish_reason: ending.reason,
        logprobs: null,
      },
    ],
    usage: ending.usage,
  };
}

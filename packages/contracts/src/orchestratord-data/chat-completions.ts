import { defineRoute } from '../common/route.js';
import { z } from '../common/zod.js';
import { PLATFORM_KEY_SCHEME } from '../orchestratord/routes.js';
import { PROMPT_MAX_CHARS, TaskRequest } from './schemas.js';

// POST /v1/chat/completions: the subset of OpenAI's Chat Completions API an agent engine can
// honour, so OpenAI SDKs work unchanged (baseURL …/v1, apiKey = the platform key). Each request
// is one task in the same queue as POST /v1/tasks.

/** max_tokens when the request names none. */
export const CHAT_DEFAULT_MAX_TOKENS = 4096;

export const ChatTextPart = z
  .object({
    type: z.literal('text'),
    text: z.string().max(PROMPT_MAX_CHARS),
  })
  .openapi('ChatTextPart');

export const ChatMessage = z
  .object({
    role: z.enum(['system', 'user', 'assistant'], {
      // The input is named only when it is a short string: an array or object could be huge or
      // nested deeper than JSON.stringify can go.
      error: (issue) =>
        `role ${typeof issue.input === 'string' && issue.input.length <= 64 ? JSON.stringify(issue.input) : 'given'} ` +
        'is not served: messages are system, user or assistant (the engine runs its own tools)',
    }),
    content: z.union([z.string().max(PROMPT_MAX_CHARS), z.array(ChatTextPart).min(1).max(64)], {
      error: 'content must be a string or an array of text parts ({type: "text", text})',
    }),
    name: z.string().max(64).optional(),
  })
  .openapi('ChatMessage');
export type ChatMessage = z.infer<typeof ChatMessage>;

const MaxTokens = z.int().positive().max(1_000_000).nullish();

export const ChatCompletionRequest = z
  .object({
    model: z
      .string()
      .min(1)
      .max(512)
      .describe(
        '`default` (the pool’s engine image) or the engine image, as TaskRequest.model_ref',
      ),
    messages: z
      .array(ChatMessage)
      .min(1, 'messages must hold at least one message')
      .max(256)
      .describe(
        'The last must be the user’s. With X-Session-Id the engine already holds the earlier ' +
          'turns and only the last is sent; on a new session the earlier ones go before it, ' +
          'labelled by role',
      ),
    user: TaskRequest.shape.user_id
      .unwrap()
      .describe('The end user whose engine runs the turn (TaskRequest.user_id); required'),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    max_tokens: MaxTokens.describe(
      `Tokens the turn may stream (default ${CHAT_DEFAULT_MAX_TOKENS}); finish_reason length at it`,
    ),
    max_completion_tokens: MaxTokens.describe('The same as max_tokens; wins when both are sent'),
    seed: z.int().nullish(),
    n: z.literal(1, { error: 'n must be 1: one turn answers once' }).nullish(),
  })
  .openapi('ChatCompletionRequest', {
    description:
      'Other OpenAI fields (temperature, top_p, stop, tools, …) are accepted and ignored: the ' +
      'engine’s own gateway config and tools decide them.',
  });
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

export const ChatCompletionHeaders = z.object({
  'x-session-id': z
    .uuid()
    .optional()
    .describe('Continue this session (engine conversation); default: a new session per request'),
});

export const ChatFinishReason = z
  .enum(['stop', 'length'])
  .openapi('ChatFinishReason', { description: 'length: max_tokens (or the agent’s max_turns)' });

export const ChatCompletionUsage = z
  .object({
    prompt_tokens: z.int().nonnegative().describe('Input tokens the engine reported (0 if none)'),
    completion_tokens: z.int().nonnegative().describe('Tokens streamed (the task’s tokens_out)'),
    total_tokens: z.int().nonnegative(),
  })
  .openapi('ChatCompletionUsage');
export type ChatCompletionUsage = z.infer<typeof ChatCompletionUsage>;

const completionId = z.string().describe('`chatcmpl-<task_id>`: GET /v1/tasks/{id}/stream replays');

export const ChatCompletion = z
  .object({
    id: completionId,
    object: z.literal('chat.completion'),
    created: z.int().nonnegative().describe('Unix seconds'),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.int().nonnegative(),
        message: z.object({
          role: z.literal('assistant'),
          content: z.string(),
          refusal: z.null(),
        }),
        finish_reason: ChatFinishReason,
        logprobs: z.null(),
      }),
    ),
    usage: ChatCompletionUsage,
  })
  .openapi('ChatCompletion');
export type ChatCompletion = z.infer<typeof ChatCompletion>;

export const ChatCompletionChunk = z
  .object({
    id: completionId,
    object: z.literal('chat.completion.chunk'),
    created: z.int().nonnegative(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.int().nonnegative(),
        delta: z.object({
          role: z.literal('assistant').optional().describe('On the first chunk only'),
          content: z.string().optional(),
        }),
        finish_reason: ChatFinishReason.nullable(),
        logprobs: z.null(),
      }),
    ),
    usage: ChatCompletionUsage.nullable()
      .optional()
      .describe('With stream_options.include_usage: null, then a last chunk without choices'),
  })
  .openapi('ChatCompletionChunk');
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunk>;

export const ChatErrorType = z
  .enum([
    'invalid_request_error',
    'authentication_error',
    'permission_error',
    'rate_limit_error',
    'server_error',
  ])
  .openapi('ChatErrorType');

/** OpenAI's error body (what its SDKs parse), plus our correlation id. */
export const ChatErrorEnvelope = z
  .object({
    error: z.object({
      message: z.string(),
      type: ChatErrorType,
      code: z.string().describe('Our ErrorCode, lower-cased (e.g. admission_reject)'),
      param: z.string().nullable().describe('The first invalid field (messages.0.role), or null'),
      correlation_id: z.string(),
      retry_after_ms: z.int().nonnegative().optional(),
    }),
  })
  .openapi('ChatErrorEnvelope');
export type ChatErrorEnvelope = z.infer<typeof ChatErrorEnvelope>;

/** One `data:` of a streamed completion: a chunk, or an error that ends the stream. */
export const ChatCompletionStreamData = z
  .union([ChatCompletionChunk, ChatErrorEnvelope])
  .openapi('ChatCompletionStreamData');
export type ChatCompletionStreamData = z.infer<typeof ChatCompletionStreamData>;

const err = (description: string) => ({ description, schema: ChatErrorEnvelope }) as const;

export const createChatCompletion = defineRoute({
  method: 'post',
  path: '/v1/chat/completions',
  operationId: 'createChatCompletion',
  summary: 'OpenAI-compatible chat completion: one turn on the user’s engine, through the queue',
  description:
    'Admitted as an interactive task (the same queue, limits and metrics as POST /v1/tasks), ' +
    'then answered from the task’s log. X-Platform-Key, or `Authorization: Bearer <platform ' +
    'key>` (an OpenAI SDK’s apiKey). With `stream: true` the 200 is `text/event-stream`: ' +
    '`data:` lines of ChatCompletionChunk (the first with role assistant, the last with ' +
    'finish_reason; with stream_options.include_usage one more without choices carrying usage), ' +
    'then `data: [DONE]`; a failure mid-stream is one `data:` ChatErrorEnvelope and the end. A ' +
    'client that disconnects (streamed or not) cancels the task.',
  tags: ['chat'],
  security: PLATFORM_KEY_SCHEME,
  request: { body: ChatCompletionRequest, headers: ChatCompletionHeaders },
  responses: {
    200: {
      description: 'The completion (or, with stream: true, its chunks as SSE)',
      schema: ChatCompletion,
      stream: { events: ChatCompletionStreamData, terminator: '[DONE]' },
    },
    400: err('Invalid request: a message role or content not served, no user, …'),
    401: err('The platform key is missing or wrong (unauthorized)'),
    403: err('The engine refused a tool (forbidden)'),
    404: err('No engine for this user and the product does not auto-provision (not_found)'),
    409: err('The task was cancelled (conflict)'),
    413: err('The body is over the size limit (payload_too_large)'),
    415: err('The body is not sent as application/json (unsupported_media_type)'),
    422: err('The engine image cannot be run (image_not_found)'),
    429: err('The pool’s queue is full (admission_reject; Retry-After), or the model is limited'),
    500: err('An unexpected error, or the engine failed mid-turn (internal, worker_reset)'),
    502: err('The engine or its model failed (upstream_error, driver_error)'),
    503: err('The pool is draining (pool_unavailable)'),
    504: err('The engine did not boot in time (boot_timeout)'),
  },
});

export const chatRoutes = { createChatCompletion } as const;

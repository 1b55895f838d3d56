import { z } from '../common/zod.js';

/** Bounds chosen so one request stays well under the HTTP kit's body limit and one SQLite row. */
export const MESSAGE_MAX_CHARS = 100_000;
export const MEDIA_MAX_ITEMS = 16;
/** ~5 MB of binary as base64 (the reference engine's guidance: files under 5 MB). */
export const MEDIA_DATA_MAX_CHARS = 7_000_000;

/** A client-chosen thread id: reuse it to continue a conversation, change it to start fresh. */
export const TaskId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - (not first)')
  .openapi('TaskId', { example: 'task_01J9Z3X4M5' });
export type TaskId = z.infer<typeof TaskId>;

/** Id of a message in the brain's history (as reported by thread.started / thread.completed). */
export const MessageId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/)
  .openapi('MessageId');
export type MessageId = z.infer<typeof MessageId>;

export const MediaItem = z
  .object({
    type: z.enum(['image', 'pdf', 'audio', 'video', 'file']),
    mime_type: z
      .string()
      .max(255)
      .regex(/^[A-Za-z]+\/[A-Za-z0-9.+-]+$/, 'a MIME type such as image/png'),
    url: z
      .url({ protocol: /^https?$/ })
      .max(4096)
      .optional(),
    data: z.base64().max(MEDIA_DATA_MAX_CHARS).optional().describe('Base64, no data: prefix'),
    name: z.string().max(255).optional(),
  })
  .superRefine((item, ctx) => {
    if ((item.url === undefined) === (item.data === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'exactly one of url or data is required' });
    }
  })
  .openapi('MediaItem', { description: 'An attachment: exactly one of `url` or `data`.' });
export type MediaItem = z.infer<typeof MediaItem>;

export const OnDisconnect = z.enum(['continue', 'cancel']).openapi('OnDisconnect', {
  description:
    '`continue` (default): a dropped client does not stop the turn; its events stay ' +
    'replayable. `cancel`: the turn is cancelled and ends with thread.cancelled.',
});
export type OnDisconnect = z.infer<typeof OnDisconnect>;

export const MultitaskStrategy = z
  .enum(['reject', 'enqueue', 'interrupt'])
  .openapi('MultitaskStrategy', {
    description:
      'What a new turn does while another turn of the same conversation is in flight: ' +
      '`reject` (default): 409 TASK_BUSY; `enqueue`: the stream opens at once and the turn ' +
      'starts when the running one (and any queued before it) has finished; `interrupt`: the ' +
      'running turn ends with thread.cancelled (reason `interrupted`), its partial output kept ' +
      'in the history and marked interrupted, then this turn runs.',
  });
export type MultitaskStrategy = z.infer<typeof MultitaskStrategy>;

export const ExecuteRequestBody = z
  .object({
    message: z.string().min(1).max(MESSAGE_MAX_CHARS),
    task_id: TaskId,
    max_turns: z.int().min(1).max(200).default(50).describe('Model calls allowed in this turn'),
    super_thinking: z
      .boolean()
      .default(false)
      .describe('Extended thinking (gateway super_thinking)'),
    media: z.array(MediaItem).max(MEDIA_MAX_ITEMS).default([]),
    direct: z.boolean().default(false).describe('No tools and no planning: one model call'),
    edit_message_id: MessageId.nullable()
      .default(null)
      .describe('Replace that user message with `message`; later history is dropped, then re-run'),
    retry_message_id: MessageId.nullable()
      .default(null)
      .describe('Keep history; re-run the turn from that message with the state it had then'),
    on_disconnect: OnDisconnect.default('continue'),
    multitask_strategy: MultitaskStrategy.default('reject'),
    conversation_id: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe(
        'The conversation (history) this turn continues; default: task_id. Several task_ids may ' +
          'share one conversation; multitask_strategy says what happens when one is in flight.',
      ),
    agent: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,63}$/)
      .optional()
      .describe('Catalog agent id (e.g. `researcher`); the default agent when absent'),
  })
  .superRefine((body, ctx) => {
    if (body.edit_message_id !== null && body.retry_message_id !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['retry_message_id'],
        message: 'edit_message_id and retry_message_id are mutually exclusive',
      });
    }
  })
  .openapi('ExecuteRequestBody', {
    description: 'At most one of edit_message_id and retry_message_id may be non-null.',
  });
export type ExecuteRequestBody = z.infer<typeof ExecuteRequestBody>;

/** Path of the cancel route. */
export const TaskParams = z.object({ task_id: TaskId });
export type TaskParams = z.infer<typeof TaskParams>;

/** A resume point: the seq (SSE `id:`) of the last event received. */
const SeqCursor = z.string().regex(/^\d{1,15}$/, 'a non-negative integer (an event seq)');

/** Resume header: the SSE `id:` (an event's `seq`) last received. */
export const ResumeHeaders = z.object({
  'last-event-id': SeqCursor.optional().describe(
    'Replay only events whose seq is greater than this',
  ),
});
export type ResumeHeaders = z.infer<typeof ResumeHeaders>;

export const ReplayQuery = z.object({
  task_id: TaskId,
  turn_id: z.string().min(1).max(128).optional().describe('The turn to replay; default: latest'),
  after: SeqCursor.optional().describe(
    'Replay only events whose seq is greater than this (Last-Event-ID wins when both are sent); ' +
      'default 0: everything buffered',
  ),
});
export type ReplayQuery = z.infer<typeof ReplayQuery>;

export const CancelResponseBody = z
  .object({
    task_id: TaskId,
    turn_id: z.string(),
    status: z.enum(['cancelling', 'already_finished']),
  })
  .openapi('CancelResponseBody');
export type CancelResponseBody = z.infer<typeof CancelResponseBody>;

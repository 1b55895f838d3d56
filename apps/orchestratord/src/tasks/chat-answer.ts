import type { ChatCompletion } from '@agentplane/contracts';
import type { SseWriter } from '@agentplane/http-kit';
import {
  type ChatFrame,
  chatChunk,
  chatCompletion,
  createChatFold,
  usageChunk,
} from './chat-completion.js';
import { chatErrorBody } from './chat-error.js';
import { followTaskLog, type TaskLogDeps } from './task-stream.js';

/**
 * Waits for the task's end and answers one chat.completion; a task that failed (or was
 * cancelled) throws its error, which the route's error format renders OpenAI's way. Undefined
 * when `signal` aborted first (the client left).
 */
export async function completeChat(
  deps: TaskLogDeps,
  taskId: string,
  frame: ChatFrame,
  signal: AbortSignal,
): Promise<ChatCompletion | undefined> {
  const fold = createChatFold();
  let text = '';
  for await (const stored of followTaskLog(deps, taskId, 0, signal)) {
    const out = fold.push(stored.event);
    if (out === undefined) {
      continue;
    }
    if ('text' in out) {
      text += out.text;
      continue;
    }
    if (out.end.kind === 'error') {
      throw out.end.error;
    }
    return chatCompletion(frame, text, out.end);
  }
  return undefined;
}

/**
 * Streams the task as OpenAI does: a first chunk with the role, one chunk per token, a last
 * one with finish_reason (then, with include_usage, one without choices carrying the usage;
 * every other chunk has `usage: null`), then `data: [DONE]`. A failure is one error `data:` and
 * the end (OpenAI SDKs throw it). Ends early when the client leaves (`sse.signal`).
 */
export async function streamChat(
  deps: TaskLogDeps,
  taskId: string,
  frame: ChatFrame,
  opts: { includeUsage: boolean; correlationId: string },
  sse: SseWriter,
): Promise<void> {
  const usage = opts.includeUsage ? null : undefined;
  const fold = createChatFold();
  await sse.send({ data: chatChunk(frame, { role: 'assistant', content: '' }, null, usage) });
  for await (const stored of followTaskLog(deps, taskId, 0, sse.signal)) {
    const out = fold.push(stored.event);
    if (out === undefined) {
      continue;
    }
    if ('text' in out) {
      await sse.send({ data: chatChunk(frame, { content: out.text }, null, usage) });
      continue;
    }
    const end = out.end;
    if (end.kind === 'error') {
      const { code, message, details } = end.error;
      await sse.send({
        data: chatErrorBody({ code, message, details, correlationId: opts.correlationId }),
      });
      return;
    }
    await sse.send({ data: chatChunk(frame, {}, end.reason, usage) });
    if (opts.includeUsage) {
      await sse.send({ data: usageChunk(frame, end.usage) });
    }
    await sse.send({ data: '[DONE]' });
    return;
  }
}

import { createChatCompletion } from '@agentplane/contracts';
import { type IRouter, openSse, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import { completeChat, streamChat } from '../tasks/chat-answer.js';
import { chatFrame, chatTaskRequest } from '../tasks/chat-completion.js';
import type { DataPlane } from '../tasks/data-plane.js';

export function registerV1ChatCompletionsPost(router: IRouter, plane: DataPlane): void {
  registerRoute(router, createChatCompletion, async ({ req, res, body, headers, signal, log }) => {
    const product = productOf(req);
    const request = chatTaskRequest(body, headers['x-session-id']);
    // The same admission as POST /v1/tasks: queue limits (429 + Retry-After), drains, budgets.
    await plane.admit(product, request, req.correlationId ?? '');
    const taskId = request.task_id;
    // A client that leaves (a dropped stream, a call given up) cancels the task. Unlike
    // /v1/tasks, nobody reconnects: OpenAI clients cannot resume a completion.
    const cancel = () => {
      plane.cancel(product.id, taskId).catch((err: unknown) => {
        log.warn({ err, taskId }, 'cancelling a chat task after its client left failed');
      });
    };
    if (signal.aborted) {
      cancel();
      return undefined;
    }
    signal.addEventListener('abort', cancel, { once: true });
    const deps = { repo: plane.tasks, hub: plane.hub, pollMs: plane.streamPollMs };
    const frame = chatFrame(taskId, body.model);
    try {
      if (body.stream === true) {
        const sse = openSse(req, res, { log });
        try {
          const includeUsage = body.stream_options?.include_usage === true;
          const correlationId = req.correlationId ?? '';
          await streamChat(deps, taskId, frame, { includeUsage, correlationId }, sse);
        } finally {
          sse.close();
        }
        return undefined;
      }
      const completion = await completeChat(deps, taskId, frame, signal);
      return completion === undefined ? undefined : { status: 200, body: completion };
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  });
}

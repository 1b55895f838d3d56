import { streamTask } from '@agentplane/contracts';
import { ApiError, type IRouter, openSse, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { DataPlane } from '../tasks/data-plane.js';
import { streamTaskLog } from '../tasks/task-stream.js';

export function registerV1TaskStreamGet(router: IRouter, plane: DataPlane): void {
  registerRoute(router, streamTask, async ({ req, res, params, headers, log }) => {
    const task = await plane.tasks.byId(productOf(req).id, params.id);
    if (task === undefined) {
      throw new ApiError({ code: 'NOT_FOUND', message: `No task ${params.id}` });
    }
    const sse = openSse(req, res, { log });
    await streamTaskLog(
      { repo: plane.tasks, hub: plane.hub, pollMs: plane.streamPollMs },
      task.id,
      Number(headers['last-event-id'] ?? 0),
      sse,
    );
  });
}

import { cancelExecution } from '@agentplane/contracts/engine';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import type { RunManager } from '../runs/run-manager.js';

export interface ExecuteCancelDeps {
  runs: RunManager;
}

/** `POST /execute/{task_id}/cancel`: the turn ends with thread.cancelled (cancel_request). */
export function registerExecuteCancelPost(router: IRouter, deps: ExecuteCancelDeps): void {
  registerRoute(router, cancelExecution, ({ params }) => {
    const outcome = deps.runs.cancel(params.task_id, 'cancel_request');
    if (outcome === undefined) {
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `No turn known for task ${params.task_id}`,
      });
    }
    return {
      status: 200,
      body: { task_id: params.task_id, turn_id: outcome.turnId, status: outcome.status },
    };
  });
}

import { deleteTask } from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { DataPlane } from '../tasks/data-plane.js';

export function registerV1TaskDeleteDelete(router: IRouter, plane: DataPlane): void {
  registerRoute(router, deleteTask, async ({ req, params }) => {
    if (!(await plane.cancel(productOf(req).id, params.id))) {
      throw new ApiError({ code: 'NOT_FOUND', message: `No task ${params.id}` });
    }
    return { status: 204 };
  });
}

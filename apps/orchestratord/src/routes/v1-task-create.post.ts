import { createTask } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { DataPlane } from '../tasks/data-plane.js';

export function registerV1TaskCreatePost(router: IRouter, plane: DataPlane): void {
  registerRoute(router, createTask, async ({ req, body }) => {
    const admitted = await plane.admit(productOf(req), body, req.correlationId ?? '');
    return { status: 202, body: admitted.body, headers: admitted.headers };
  });
}

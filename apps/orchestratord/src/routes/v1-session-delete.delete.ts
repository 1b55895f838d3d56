import { deleteSession } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { DataPlane } from '../tasks/data-plane.js';

export function registerV1SessionDelete(router: IRouter, plane: DataPlane): void {
  registerRoute(router, deleteSession, async ({ req, params }) => {
    await plane.sessions.remove(productOf(req).id, params.id);
    return { status: 204 };
  });
}

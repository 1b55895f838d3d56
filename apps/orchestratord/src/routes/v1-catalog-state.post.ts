import { setCatalogModelState } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import type { Catalog } from '../catalog/catalog.js';

export function registerV1CatalogStatePost(router: IRouter, catalog: Catalog): void {
  registerRoute(router, setCatalogModelState, async ({ params, body }) => ({
    status: 202,
    body: await catalog.setState(params.id, body.state),
  }));
}

import { verifyCatalogModel } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import type { Catalog } from '../catalog/catalog.js';

export function registerV1CatalogVerifyPost(router: IRouter, catalog: Catalog): void {
  registerRoute(router, verifyCatalogModel, async ({ params }) => ({
    status: 202,
    body: await catalog.verify(params.id),
  }));
}

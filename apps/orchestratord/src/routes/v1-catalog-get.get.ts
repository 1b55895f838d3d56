import { getCatalogModel } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import type { Catalog } from '../catalog/catalog.js';

export function registerV1CatalogGetGet(router: IRouter, catalog: Catalog): void {
  registerRoute(router, getCatalogModel, async ({ params }) => ({
    status: 200,
    body: await catalog.get(params.id),
  }));
}

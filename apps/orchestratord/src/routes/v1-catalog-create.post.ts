import { createCatalogModel } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import type { Catalog } from '../catalog/catalog.js';

export function registerV1CatalogCreatePost(router: IRouter, catalog: Catalog): void {
  registerRoute(router, createCatalogModel, async ({ body }) => ({
    status: 201,
    body: await catalog.create(body),
  }));
}

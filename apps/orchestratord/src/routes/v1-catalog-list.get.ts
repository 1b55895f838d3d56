import { listCatalogModels } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import type { Catalog } from '../catalog/catalog.js';

export function registerV1CatalogListGet(router: IRouter, catalog: Catalog): void {
  registerRoute(router, listCatalogModels, async () => ({
    status: 200,
    body: { models: await catalog.list() },
  }));
}

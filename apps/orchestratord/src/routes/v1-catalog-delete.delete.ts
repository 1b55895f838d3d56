import { deleteCatalogModel } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import type { Catalog } from '../catalog/catalog.js';

export function registerV1CatalogDeleteDelete(router: IRouter, catalog: Catalog): void {
  registerRoute(router, deleteCatalogModel, async ({ params }) => {
    await catalog.remove(params.id);
    return { status: 204 };
  });
}

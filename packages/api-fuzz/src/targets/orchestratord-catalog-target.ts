import { surfaceByName } from '@agentplane/contracts';
import { surfaceDocument } from '../openapi/api-document.js';
import type { FuzzTarget } from './fuzz-target.js';
import { call, startFleetTarget } from './orchestratord-fleet.js';
import { v1State } from './orchestratord-v1-state.js';

interface Entry {
  id: string;
  digest: string;
  tags?: string[];
}

/**
 * The catalog of engine images on the fleet (startFleetTarget). The seeded entry (the default
 * image, tagged `default`) is read and verified; two entries of the same digest under images
 * of their own (so retiring one refuses no engine) are made in set-up for the operations that
 * would change them: one to retire, one to delete. createCatalogModel aims at a new id.
 * State: catalog entries, with tasks, sessions and pool drains (v1State).
 */
export function startOrchestratordCatalogTarget(): Promise<FuzzTarget> {
  return startFleetTarget('orch-catalog', async (fleet) => {
    const { base, adminKey, platformKey } = fleet;
    const list = await call(base, '/v1/catalog/models', { 'x-platform-key': platformKey });
    const models = list.models as Entry[];
    const seeded = models.find((m) => m.tags?.includes('default')) ?? models[0];
    if (seeded === undefined) {
      throw new Error('the catalog was not seeded with the default image');
    }
    const entry = (id: string) => ({ id, digest: seeded.digest, source_url: `fuzz/${id}` });
    for (const id of ['fuzz-retire', 'fuzz-delete']) {
      await call(base, '/v1/catalog/models', { 'x-admin-key': adminKey }, entry(id));
    }
    return {
      name: 'orchestratord-catalog',
      doc: surfaceDocument(surfaceByName('orchestratord-catalog')),
      credentials: { platformKey, adminKey },
      pathParams: { id: seeded.id },
      overrides: {
        createCatalogModel: { body: entry('fuzz-new') },
        setCatalogModelState: { path: { id: 'fuzz-retire' }, body: { state: 'Retired' } },
        deleteCatalogModel: { path: { id: 'fuzz-delete' } },
      },
      snapshot: v1State(fleet),
    };
  });
}

import type { CatalogEntry, CatalogModel, CatalogModelState } from '@agentplane/contracts';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { CatalogModelsTable, Database } from '../db/schema.js';

export type CatalogRow = Selectable<CatalogModelsTable>;

export interface NewCatalogRow {
  id: string;
  engine: string;
  image: string;
  digest: string;
  model: CatalogModel;
  verifiedAt: Date | undefined;
}

/** A row as the API shows it: the entry as created, with its family, state and times. */
export function toEntry(row: CatalogRow): CatalogEntry {
  return {
    ...row.model,
    id: row.id,
    digest: row.digest,
    engine: row.engine,
    state: row.state,
    created_ms: row.created_at.getTime(),
    last_verified_ms: row.verified_at?.getTime() ?? null,
  };
}

/** Every query on the catalog (catalog_models, migration 005). */
export function createCatalogRepo(db: Kysely<Database>) {
  return {
    /** Inserts an Active entry; undefined when the id is taken (also by a concurrent insert). */
    insert(entry: NewCatalogRow): Promise<CatalogRow | undefined> {
      return db
        .insertInto('catalog_models')
        .values({
          id: entry.id,
          engine: entry.engine,
          image: entry.image,
          digest: entry.digest,
          state: 'Active',
          model: JSON.stringify(entry.model),
          verified_at: entry.verifiedAt ?? null,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .returningAll()
        .executeTakeFirst();
    },

    byId(id: string): Promise<CatalogRow | undefined> {
      return db.selectFrom('catalog_models').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Entries whose digest starts with `prefix` (`sha256:` and hex only: no LIKE wildcards). */
    byDigestPrefix(prefix: string): Promise<CatalogRow[]> {
      return db
        .selectFrom('catalog_models')
        .selectAll()
        .where('digest', 'like', `${prefix}%`)
        .orderBy('created_at')
        .execute();
    },

    list(): Promise<CatalogRow[]> {
      return db
        .selectFrom('catalog_models')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    /** Whether a row went. */
    async remove(id: string): Promise<boolean> {
      const gone = await db.deleteFrom('catalog_models').where('id', '=', id).executeTakeFirst();
      return gone.numDeletedRows > 0n;
    },

    setState(id: string, state: CatalogModelState): Promise<CatalogRow | undefined> {
      return db
        .updateTable('catalog_models')
        .set({ state })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },

    markVerified(id: string): Promise<CatalogRow | undefined> {
      return db
        .updateTable('catalog_models')
        .set({ verified_at: sql<Date>`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },

    /** The states of the entries that name `image` (aliases may share one). */
    async statesOf(image: string): Promise<CatalogModelState[]> {
      const rows = await db
        .selectFrom('catalog_models')
        .select('state')
        .where('image', '=', image)
        .execute();
      return rows.map((r) => r.state);
    },
  };
}

import { createPgliteKysely, openPglite } from '@agentplane/backends/pglite';
import { type PgSchema, type PgTestDatabase, schemaHash } from './pg-schema.js';
import { randomSuffix } from './random-suffix.js';

// Booting PGlite and migrating costs about 2.5 s here while starting from a dump of a migrated
// instance costs about 0.4 s, so like the server variant we migrate one template per worker
// and copy it. What is kept is the dump (an immutable Blob), not an open instance, so nothing
// needs closing when the worker ends. (Not `clone()`: it drops the instance's parsers.)
const templates = new Map<string, Promise<Blob>>();

async function buildTemplate(schema: PgSchema): Promise<Blob> {
  const pglite = await openPglite();
  const db = createPgliteKysely(pglite);
  try {
    await schema.migrate(db);
    return await pglite.dumpDataDir('none');
  } finally {
    // Also closes the instance.
    await db.destroy();
    if (!pglite.closed) {
      await pglite.close();
    }
  }
}

function templateOnce(schema: PgSchema): Promise<Blob> {
  const key = schemaHash(schema.key);
  let pending = templates.get(key);
  if (!pending) {
    pending = buildTemplate(schema);
    templates.set(key, pending);
    pending.catch(() => templates.delete(key));
  }
  return pending;
}

/**
 * An in-memory PGlite (pgvector loaded) holding a migrated copy of the schema, behind the
 * same Kysely interface as the server variant.
 */
export async function createPgliteTestDatabase(schema: PgSchema): Promise<PgTestDatabase> {
  const pglite = await openPglite({ loadDataDir: await templateOnce(schema) });
  const db = createPgliteKysely(pglite);
  let closed = false;
  return {
    variant: 'pglite',
    name: `pglite_${randomSuffix()}`,
    url: undefined,
    db,
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      await db.destroy();
      if (!pglite.closed) {
        await pglite.close();
      }
    },
  };
}

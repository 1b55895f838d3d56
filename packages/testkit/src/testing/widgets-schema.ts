import type { PgSchema } from '../pg-schema.js';

/** How often `migrate` ran in this worker: the template must make it at most once per key. */
export const migrateCalls = { count: 0 };

/** The schema the testkit's own Postgres tests share (one template for all their files). */
export const widgetsSchema: PgSchema = {
  key: ['testkit-widgets', '001_widgets'],
  async migrate(db) {
    migrateCalls.count += 1;
    await db.schema
      .createTable('widgets')
      .addColumn('id', 'serial', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .execute();
    await db.insertInto('widgets').values({ name: 'seeded-by-migrate' }).execute();
  },
};

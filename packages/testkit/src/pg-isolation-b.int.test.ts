import { sql } from 'kysely';
import { describe, expect } from 'vitest';
import { dbVariants } from './db-variants.js';
import { createTestKit } from './fixtures.js';
import { widgetsSchema } from './testing/widgets-schema.js';

// pg-isolation-a and pg-isolation-b are the same file with another marker: both create the
// table `marker`, so if two files ever shared a database the second one would fail.
const MARKER = 'b';

// Kits are built at the top level: vitest refuses file- and worker-scoped fixtures that are
// defined inside a describe block.
const kits = dbVariants().map((variant) => ({
  variant,
  test: createTestKit({ pg: widgetsSchema, dbVariant: variant }),
}));

describe.each(kits)('per-file database on $variant.name', ({ variant, test }) => {
  test('is a fresh copy of the migrated template', async ({ pg }) => {
    expect(pg.variant).toBe(variant.name);
    expect(pg.name).toMatch(
      variant.name === 'postgres' ? /^t_[0-9a-f]{16}$/ : /^pglite_[0-9a-f]{16}$/,
    );
    const rows = await pg.db.selectFrom('widgets').select('name').execute();
    expect(rows).toEqual([{ name: 'seeded-by-migrate' }]);
    if (variant.name === 'postgres') {
      const { rows: current } = await sql<{ db: string }>`SELECT current_database() AS db`.execute(
        pg.db,
      );
      expect(current[0]?.db).toBe(pg.name);
      expect(pg.url).toMatch(new RegExp(`/${pg.name}$`));
    }
  });

  test('holds nothing another file wrote', async ({ pg }) => {
    const { rows } = await sql<{
      t: string | null;
    }>`SELECT to_regclass('public.marker')::text AS t`.execute(pg.db);
    expect(rows[0]?.t).toBeNull();
    await pg.db.schema.createTable('marker').addColumn('file', 'text').execute();
    await pg.db.insertInto('marker').values({ file: MARKER }).execute();
  });

  test('is shared by the tests of one file', async ({ pg }) => {
    const rows = await pg.db.selectFrom('marker').select('file').execute();
    expect(rows).toEqual([{ file: MARKER }]);
  });
});

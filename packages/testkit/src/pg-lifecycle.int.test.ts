import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { PgSchema } from './pg-schema.js';
import { createPgliteTestDatabase } from './pglite-database.js';
import {
  createPostgresTestDatabase,
  dropPgDatabase,
  ensurePgTemplate,
  pgTemplateName,
} from './postgres.js';
import { describeWithService } from './require-service.js';
import { migrateCalls, widgetsSchema } from './testing/widgets-schema.js';

async function adminQuery<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function databaseExists(url: string, name: string): Promise<boolean> {
  const rows = await adminQuery(url, 'SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rows.length > 0;
}

describeWithService('postgres', 'postgres test databases', () => {
  const adminUrl = process.env.DATABASE_URL as string;
  const createdTemplates: string[] = [];

  afterAll(async () => {
    for (const template of createdTemplates) {
      await dropPgDatabase(adminUrl, template);
    }
  });

  it('copies tmpl_<hash> and migrates it at most once per worker', async () => {
    const before = migrateCalls.count;
    const first = await createPostgresTestDatabase(adminUrl, widgetsSchema);
    const second = await createPostgresTestDatabase(adminUrl, widgetsSchema);
    try {
      // 0 when another worker or an earlier run already built the template.
      expect(migrateCalls.count - before).toBeLessThanOrEqual(1);
      expect(first.name).not.toBe(second.name);
      const template = pgTemplateName(widgetsSchema.key);
      expect(template).toMatch(/^tmpl_[0-9a-f]{16}$/);
      expect(await databaseExists(adminUrl, template)).toBe(true);
      for (const copy of [first, second]) {
        const rows = await copy.db.selectFrom('widgets').select('name').execute();
        expect(rows).toEqual([{ name: 'seeded-by-migrate' }]);
      }
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('drops the database on close, even with a connection still open', async () => {
    const database = await createPostgresTestDatabase(adminUrl, widgetsSchema);
    const straggler = new pg.Client({ connectionString: database.url });
    straggler.on('error', () => {}); // it is about to be terminated
    await straggler.connect();
    expect(await databaseExists(adminUrl, database.name)).toBe(true);
    await database.close();
    expect(await databaseExists(adminUrl, database.name)).toBe(false);
    await database.close(); // idempotent
    await straggler.end().catch(() => {});
  });

  it('builds a template once when many callers race for it (advisory lock)', async () => {
    let calls = 0;
    const schema: PgSchema = {
      key: `race-${Date.now()}-${Math.random()}`,
      async migrate(db) {
        calls += 1;
        // Slow enough that without the lock the racers would overlap.
        await sql`SELECT pg_sleep(0.3)`.execute(db);
        await db.schema.createTable('raced').addColumn('id', 'integer').execute();
      },
    };
    createdTemplates.push(pgTemplateName(schema.key));
    const names = await Promise.all([1, 2, 3].map(() => ensurePgTemplate(adminUrl, schema)));
    expect(new Set(names)).toEqual(new Set([pgTemplateName(schema.key)]));
    expect(calls).toBe(1);
    expect(await databaseExists(adminUrl, `${names[0]}_build`)).toBe(false);
  });

  it('leaves no template behind when migrate fails', async () => {
    const schema: PgSchema = {
      key: `broken-${Date.now()}-${Math.random()}`,
      async migrate() {
        throw new Error('migration 002 is broken');
      },
    };
    const template = pgTemplateName(schema.key);
    createdTemplates.push(template, `${template}_build`);
    await expect(createPostgresTestDatabase(adminUrl, schema)).rejects.toThrow(
      'migration 002 is broken',
    );
    expect(await databaseExists(adminUrl, template)).toBe(false);
  });
});

describe('pglite test databases', () => {
  const vectorSchema: PgSchema = {
    key: 'testkit-pglite-vector',
    async migrate(db) {
      await sql`CREATE EXTENSION IF NOT EXISTS vector`.execute(db);
      await db.schema
        .createTable('docs')
        .addColumn('id', 'integer')
        .addColumn('embedding', sql`vector(3)`)
        .execute();
      await sql`INSERT INTO docs VALUES (1, '[1,0,0]'), (2, '[0,1,0]')`.execute(db);
    },
  };

  it('copies a migrated template with pgvector working', async () => {
    const database = await createPgliteTestDatabase(vectorSchema);
    try {
      const { rows } = await sql<{ id: number }>`
        SELECT id FROM docs ORDER BY embedding <-> '[0.9,0.1,0]' LIMIT 1`.execute(database.db);
      expect(rows).toEqual([{ id: 1 }]);
    } finally {
      await database.close();
    }
  });

  it('gives each database its own data and closes it', async () => {
    const first = await createPgliteTestDatabase(vectorSchema);
    const second = await createPgliteTestDatabase(vectorSchema);
    await sql`DELETE FROM docs`.execute(first.db);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM docs`.execute(
      second.db,
    );
    expect(rows).toEqual([{ n: 2 }]);
    expect(first.name).not.toBe(second.name);
    await first.close();
    await second.close();
    await expect(sql`SELECT 1`.execute(first.db)).rejects.toThrow();
  });

  it('runs transactions through the dialect', async () => {
    const database = await createPgliteTestDatabase(vectorSchema);
    try {
      await expect(
        database.db.transaction().execute(async (trx) => {
          await sql`DELETE FROM docs`.execute(trx);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM docs`.execute(
        database.db,
      );
      expect(rows).toEqual([{ n: 2 }]);
    } finally {
      await database.close();
    }
  });
});

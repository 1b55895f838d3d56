import { createTestKit, dbVariants, type PgTestDatabase } from '@agentplane/testkit';
import { sql } from 'kysely';
import { describe, expect } from 'vitest';
import { DB_QUERY_ROLE, ensureDbQueryRole } from './db-query-role.js';
import { type ClosableSql, createSqlRunner } from './sql-runner.js';

const schema = {
  key: ['agent-manager-tools-db-query', '001'],
  migrate: async (db: PgTestDatabase['db']) => {
    await sql`CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)`.execute(db);
    await sql`INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 25) g`.execute(db);
  },
};

const limits = { timeoutMs: 5_000, maxRows: 10 };

// node-postgres from the URL on the server; the Kysely runner on PGlite (its only way in).
function runnerFor(pg: PgTestDatabase): ClosableSql {
  return pg.url === undefined
    ? createSqlRunner({ kysely: pg.db })
    : createSqlRunner({ url: pg.url });
}

async function count(pg: PgTestDatabase): Promise<string> {
  const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM items`.execute(pg.db);
  return rows[0]?.n ?? '';
}

for (const variant of dbVariants()) {
  const test = createTestKit({ pg: schema, dbVariant: variant }).extend(
    'runner',
    async ({ pg }, { onCleanup }) => {
      const runner = runnerFor(pg);
      onCleanup(() => runner.close());
      return runner;
    },
  );

  describe(`db.query runner on ${variant.name}`, () => {
    test('reads with parameters: columns, rows as arrays, row cap', async ({ runner }) => {
      const one = await runner.query('SELECT id, name FROM items WHERE id = $1', [3], limits);
      expect(one).toEqual({ columns: ['id', 'name'], rows: [[3, 'item 3']], truncated: false });
      const capped = await runner.query(
        '  -- all of them\n SELECT id FROM items ORDER BY id;',
        [],
        limits,
      );
      expect(capped.rows).toHaveLength(10);
      expect(capped.rows[9]).toEqual([10]);
      expect(capped.truncated).toBe(true);
      const exact = await runner.query('SELECT id FROM items ORDER BY id', [], {
        ...limits,
        maxRows: 25,
      });
      expect(exact.truncated).toBe(false);
      // Not a cursor-able query, run as is: still allowed.
      const shown = await runner.query('SHOW transaction_read_only', [], limits);
      expect(shown.rows).toEqual([['on']]);
    });

    test('as the db.query role: reads `public`, not the service’s own schemas', async ({ pg }) => {
      await sql`CREATE SCHEMA IF NOT EXISTS service_private`.execute(pg.db);
      await sql`CREATE TABLE IF NOT EXISTS service_private.secrets (s text)`.execute(pg.db);
      expect(await ensureDbQueryRole(pg.db)).toBe(true);
      const runner =
        pg.url === undefined
          ? createSqlRunner({ kysely: pg.db, role: DB_QUERY_ROLE })
          : createSqlRunner({ url: pg.url, role: DB_QUERY_ROLE });
      try {
        const items = await runner.query('SELECT count(*)::int AS n FROM items', [], limits);
        expect(items.rows).toEqual([[25]]);
        const secret = runner.query('SELECT * FROM service_private.secrets', [], limits);
        await expect(secret).rejects.toMatchObject({
          code: 'INVALID_INPUT',
          details: { sqlstate: '42501' },
        });
        const who = await runner.query('SELECT current_user', [], limits);
        expect(who.rows).toEqual([[DB_QUERY_ROLE]]);
      } finally {
        await runner.close();
      }
    });

    test('writes are refused and nothing is written', async ({ runner, pg }) => {
      for (const statement of [
        "INSERT INTO items VALUES (100, 'x')",
        'CREATE TABLE evil (id int)',
        'UPDATE items SET name = $1',
        'WITH d AS (DELETE FROM items RETURNING *) SELECT count(*) FROM d',
        "SELECT nextval('items_seq')",
      ]) {
        const params = statement.includes('$1') ? ['x'] : [];
        const refused = runner.query(statement, params, limits);
        if (statement.includes('nextval')) {
          await expect(refused, statement).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        } else {
          await expect(refused, statement).rejects.toMatchObject({
            code: 'READ_ONLY',
            details: { sqlstate: '25006' },
          });
        }
      }
      await expect(
        runner.query("COPY items TO '/tmp/items.csv'", [], limits),
      ).rejects.toMatchObject({
        code: 'READ_ONLY',
      });
      for (const statement of [
        'SELECT 1; DROP TABLE items',
        'SELECT 1; COMMIT; DELETE FROM items',
      ]) {
        await expect(runner.query(statement, [], limits), statement).rejects.toMatchObject({
          code: 'MULTIPLE_STATEMENTS',
        });
      }
      expect(await count(pg)).toBe('25');
      const tables = await sql<{
        n: string;
      }>`SELECT count(*)::text AS n FROM pg_tables WHERE tablename = 'evil'`.execute(pg.db);
      expect(tables.rows[0]?.n).toBe('0');
      // The connection is usable afterwards (every exchange is rolled back).
      await expect(runner.query('SELECT 1 AS one', [], limits)).resolves.toMatchObject({
        rows: [[1]],
      });
    });

    test("the statement's own errors are INVALID_INPUT with the SQLSTATE", async ({ runner }) => {
      await expect(runner.query('SELECT * FROM missing_table', [], limits)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: { sqlstate: '42P01' },
      });
      await expect(runner.query('SELEKT 1', [], limits)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      await expect(runner.query('  ;  ', [], limits)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    });

    // PGlite runs the statement in this thread (WebAssembly) and never interrupts it: there a
    // slow statement blocks until it ends. Known limit, stated in README.md; the time-out is a
    // Postgres-only test (defined only there, so nothing shows as skipped).
    if (variant.name !== 'pglite') {
      test('SELECT pg_sleep(5) with 200 ms → TIMEOUT', async ({ runner }) => {
        await expect(
          runner.query('SELECT pg_sleep(5)', [], { ...limits, timeoutMs: 200 }),
        ).rejects.toMatchObject({
          code: 'TIMEOUT',
          details: { sqlstate: '57014' },
        });
        await expect(runner.query('SELECT 2 AS two', [], limits)).resolves.toMatchObject({
          rows: [[2]],
        });
      });
    }
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AgentDb, openAgentDb } from '../db/open-db.js';
import { createSqlRunner } from './sql-runner.js';

// The embedded service's layout: PGlite in its own thread, the API's statements on one lane
// and the workers' (db.query among them) on the other. Each lane is its own Kysely, so only
// the thread can keep one lane's statements out of the other's open transaction.
const dir = mkdtempSync(join(tmpdir(), 'am-db-query-threaded-'));
let db: AgentDb;

beforeAll(async () => {
  db = await openAgentDb({
    databaseUrl: undefined,
    dataDir: dir,
    migrate: true,
    pgliteThread: {
      entry: new URL('../pglite-thread.ts', import.meta.url),
      execArgv: ['--import', import.meta.resolve('tsx')],
    },
    onConnectionError: () => {},
  });
  await sql`CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)`.execute(db.root);
  await sql`INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 25) g`.execute(
    db.root,
  );
}, 60_000);

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('db.query on the workers’ lane never takes in the API lane’s writes', async () => {
  const runner = createSqlRunner({ kysely: db.backgroundRoot });
  const limits = { timeoutMs: 5_000, maxRows: 100 };
  const reads = Array.from({ length: 10 }, () =>
    runner.query('SELECT id FROM items ORDER BY id', [], limits),
  );
  const writes = Array.from({ length: 10 }, (_, i) =>
    sql`INSERT INTO items VALUES (${1000 + i}, 'during')`.execute(db.root),
  );
  const results = await Promise.all(reads);
  await Promise.all(writes);
  expect(results.every((r) => r.rows.length >= 25)).toBe(true);
  const { rows } = await sql<{
    n: string;
  }>`SELECT count(*)::text AS n FROM items WHERE name = 'during'`.execute(db.root);
  expect(rows[0]?.n).toBe('10');
  const refused = runner.query("INSERT INTO items VALUES (5000, 'x')", [], limits);
  await expect(refused).rejects.toMatchObject({ code: 'READ_ONLY' });
});

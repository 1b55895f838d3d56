import { createPgliteKysely, openPglite } from '@agentplane/backends/pglite';
import { sql } from 'kysely';
import { expect, it } from 'vitest';

it('@agentplane/backends/pglite opens PGlite with pgvector behind Kysely', async () => {
  const db = createPgliteKysely(await openPglite());
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS vector`.execute(db);
    const { rows } = await sql<{
      d: number;
    }>`SELECT '[1,0]'::vector <-> '[0,0]'::vector AS d`.execute(db);
    expect(rows).toEqual([{ d: 1 }]);
  } finally {
    await db.destroy();
  }
  // PGlite's WASM start takes seconds on a busy 2-core machine (other test files run beside it).
}, 60_000);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PGliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openThreadedPglite, type ThreadedPglite } from './threaded-pglite.js';

interface Db {
  items: { id: string; n: number; doc: unknown; at: Date };
}

const ENTRY = new URL('./test-support/pglite-thread-entry.ts', import.meta.url);

describe('PGlite in a worker thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'threaded-pglite-'));
  let threaded: ThreadedPglite;
  let fg: Kysely<Db>;
  let bg: Kysely<Db>;

  beforeAll(async () => {
    threaded = await openThreadedPglite({
      dataDir: join(dir, 'pg'),
      entry: ENTRY,
      execArgv: ['--import', import.meta.resolve('tsx')],
    });
    fg = new Kysely<Db>({ dialect: new PGliteDialect({ pglite: threaded.lane('foreground') }) });
    bg = new Kysely<Db>({ dialect: new PGliteDialect({ pglite: threaded.lane('background') }) });
    await sql`CREATE TABLE items (id text PRIMARY KEY, n int8 NOT NULL, doc jsonb, at timestamptz NOT NULL DEFAULT now())`.execute(
      fg,
    );
  }, 60_000);

  afterAll(async () => {
    await threaded.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns rows as PGlite would (int8 as a string, jsonb parsed, dates) and keeps error codes', async () => {
    await fg
      .insertInto('items')
      .values({ id: 'a', n: 7, doc: JSON.stringify({ k: [1] }) } as never)
      .execute();
    const row = await fg
      .selectFrom('items')
      .selectAll()
      .where('id', '=', 'a')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ id: 'a', n: '7', doc: { k: [1] } });
    expect(row.at).toBeInstanceOf(Date);
    const duplicate = fg
      .insertInto('items')
      .values({ id: 'a', n: 1 } as never)
      .execute();
    await expect(duplicate).rejects.toMatchObject({ code: '23505' });
  });

  it('commits a transaction that succeeds and leaves nothing of one that throws', async () => {
    await bg.transaction().execute(async (tx) => {
      await tx
        .insertInto('items')
        .values({ id: 'tx-ok', n: 1 } as never)
        .execute();
    });
    const failing = bg.transaction().execute(async (tx) => {
      await tx
        .insertInto('items')
        .values({ id: 'tx-bad', n: 1 } as never)
        .execute();
      throw new Error('changed my mind');
    });
    await expect(failing).rejects.toThrow('changed my mind');
    const ids = await fg.selectFrom('items').select('id').where('id', 'like', 'tx-%').execute();
    expect(ids.map((r) => r.id)).toEqual(['tx-ok']);
  });

  it('runs a foreground statement before the background ones queued ahead of it', async () => {
    let backgroundDone = 0;
    const writes = Array.from({ length: 200 }, (_, i) =>
      bg
        .insertInto('items')
        .values({ id: `bg-${i}`, n: i } as never)
        .execute()
        .then(() => {
          backgroundDone += 1;
        }),
    );
    await fg.selectFrom('items').select('id').where('id', '=', 'a').execute();
    const doneWhenForegroundAnswered = backgroundDone;
    await Promise.all(writes);
    expect(doneWhenForegroundAnswered).toBeLessThan(200);
    expect(backgroundDone).toBe(200);
  });

  it('keeps other statements out of an open transaction until it ends', async () => {
    const order: string[] = [];
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => {
      inside = resolve;
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tx = bg.transaction().execute(async (t) => {
      await t
        .insertInto('items')
        .values({ id: 'held', n: 1 } as never)
        .execute();
      inside();
      await held;
      order.push('tx ends');
    });
    await entered;
    const read = fg
      .selectFrom('items')
      .select('id')
      .where('id', '=', 'held')
      .execute()
      .then((rows) => order.push(`read saw ${rows.length}`));
    await new Promise((r) => setTimeout(r, 50));
    release();
    await Promise.all([tx, read]);
    expect(order).toEqual(['tx ends', 'read saw 1']);
  });
});

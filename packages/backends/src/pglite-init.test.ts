import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import { initPgliteInChild } from './pglite-init.js';

const pgliteInit = {
  entry: new URL('./test-support/pglite-init-entry.ts', import.meta.url),
  execArgv: ['--import', import.meta.resolve('tsx')],
};
const root = mkdtempSync(join(tmpdir(), 'pglite-init-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('a fresh embedded database is made in a child, with the settings, then opened here; an existing one is opened as it is', async () => {
  const dataDir = join(root, 'fresh');
  const settings = { shared_buffers: '8MB', max_connections: '8' };
  const opened = await openDatabase<{ t: { v: string } }>({
    databaseUrl: undefined,
    dataDir,
    pgliteSettings: settings,
    pgliteInit,
    onConnectionError: () => {},
  });
  try {
    const shown = await sql<{ max_connections: string }>`show max_connections`.execute(opened.db);
    expect(shown.rows[0]?.max_connections).toBe('8');
  } finally {
    await opened.db.destroy();
  }
  expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
  // Nothing staged is left beside it, and a second start finds the cluster: no child at all
  // (an entry that cannot run would fail it).
  expect(readdirSync(dataDir)).toEqual(['pg']);
  await initPgliteInChild({
    dataDir: join(dataDir, 'pg'),
    settings,
    entry: new URL('file:///nonexistent/entry.js'),
  });
}, 120_000);

it('a child that fails leaves nothing behind and says why', async () => {
  const dataDir = join(root, 'failing', 'pg');
  const err = await initPgliteInChild({
    dataDir,
    settings: { shared_buffers: 'not-a-size' },
    ...pgliteInit,
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).message).toMatch(
    /initialising the embedded database in .*failing\/pg failed/,
  );
  expect(existsSync(join(root, 'failing'))).toBe(false);
}, 120_000);

it('a data directory that holds something else is never replaced', async () => {
  const dataDir = join(root, 'occupied', 'pg');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'notes.txt'), 'mine');
  await expect(initPgliteInChild({ dataDir, settings: {}, ...pgliteInit })).rejects.toThrow(
    /holds files but no database/,
  );
  expect(readdirSync(dataDir)).toEqual(['notes.txt']);
  expect(readdirSync(join(root, 'occupied'))).toEqual(['pg']);
}, 120_000);

import { createTmpDir } from '@agentplane/testkit';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { EMBEDDED_PGLITE_SETTINGS } from './embedded-settings.js';
import { openFleetDb } from './open-db.js';

// The embedded database (no DATABASE_URL) runs with the lean settings, on top of PGlite's own.
it('opens PGlite with the embedded settings', async () => {
  const tmp = await createTmpDir('orch-embedded-db-');
  const fleetDb = await openFleetDb({
    databaseUrl: undefined,
    dataDir: tmp.path,
    onConnectionError: () => {},
  });
  try {
    expect(fleetDb.kind).toBe('pglite');
    for (const [name, value] of Object.entries(EMBEDDED_PGLITE_SETTINGS)) {
      const { rows } = await sql<Record<string, string>>`show ${sql.raw(name)}`.execute(fleetDb.db);
      expect(rows[0]?.[name]).toBe(value);
    }
    // PGlite's defaults are kept: fsync stays off.
    const { rows } = await sql<{ fsync: string }>`show fsync`.execute(fleetDb.db);
    expect(rows[0]?.fsync).toBe('off');
  } finally {
    await fleetDb.close();
    await tmp.remove();
  }
}, 120_000);

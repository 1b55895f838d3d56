import { type OpenDatabaseOptions, openDatabase } from '@agentplane/backends/open-database';
import type { Kysely } from 'kysely';
import { EMBEDDED_PGLITE_SETTINGS } from './embedded-settings.js';
import { migrate } from './migrations.js';
import { type Database, DB_SCHEMA } from './schema.js';

export type OpenDbOptions = OpenDatabaseOptions;

export interface FleetDb {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

// int8 (bigserial ids, count(*)) as string, timestamptz as Date: node-postgres's defaults, kept
// explicit so PGlite (testkit's dialect) and pg agree.

/** Connects, runs the migrations, and returns a Kysely scoped to orchestratord's schema. */
export async function openFleetDb(options: OpenDbOptions): Promise<FleetDb> {
  const { db: root, kind } = await openDatabase<Database>({
    pgliteSettings: { ...EMBEDDED_PGLITE_SETTINGS },
    ...options,
  });
  try {
    await migrate(root);
  } catch (error) {
    await root.destroy();
    throw error;
  }
  return { db: root.withSchema(DB_SCHEMA), kind, close: () => root.destroy() };
}

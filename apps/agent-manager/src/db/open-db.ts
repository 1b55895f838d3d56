import { type OpenDatabaseOptions, openDatabase } from '@agentplane/backends/open-database';
import type { Kysely } from 'kysely';
import { migrate } from './migrations.js';
import { type Database, DB_SCHEMA } from './schema.js';

export interface OpenDbOptions extends OpenDatabaseOptions {
  /** Run the migrations (the API process does; workers connect to a migrated database). */
  migrate: boolean;
}

export interface AgentDb {
  db: Kysely<Database>;
  /** The unscoped connection (the db.query tool reads the embedded database through it). */
  root: Kysely<unknown>;
  /** `db` and `root` for workers' statements: they wait behind the API's (see openDatabase). */
  background: Kysely<Database>;
  backgroundRoot: Kysely<unknown>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/** Connects (and migrates), returning a Kysely scoped to agent-manager's schema. */
export async function openAgentDb(options: OpenDbOptions): Promise<AgentDb> {
  const { db: root, background, kind } = await openDatabase<Database>(options);
  try {
    if (options.migrate) {
      await migrate(root);
    }
  } catch (error) {
    await root.destroy();
    throw error;
  }
  return {
    db: root.withSchema(DB_SCHEMA),
    root: root as Kysely<unknown>,
    background: background.withSchema(DB_SCHEMA),
    backgroundRoot: background as Kysely<unknown>,
    kind,
    close: () => root.destroy(),
  };
}

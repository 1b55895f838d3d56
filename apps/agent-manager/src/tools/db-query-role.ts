import { type Kysely, sql } from 'kysely';
import type { Config } from '../config.js';

/**
 * The role db.query runs as on the service's own database (AM_TOOL_DATABASE_URL unset): it may
 * read the tables of schema `public` (the user's), not agent-manager's or orchestratord's
 * schemas (other agents' goals, outputs and tool results).
 */
export const DB_QUERY_ROLE = 'agent_manager_db_query';

/** The role db.query takes, or none when it reads a database of the user's own. */
export const dbQueryRole = (config: Config): string | undefined =>
  config.AM_TOOL_DATABASE_URL === undefined ? DB_QUERY_ROLE : undefined;

// Roles belong to the whole Postgres cluster: two services (or test databases) starting at once
// may both create it; the loser's "already exists" is success.
const ALREADY = new Set(['42710', '23505']);

/**
 * Creates the role (if missing) with SELECT on `public` now and later, and lets the session
 * user take it. False when the database refuses (no CREATEROLE): db.query then fails with the
 * database's reason instead of reading the service's tables.
 */
export async function ensureDbQueryRole(db: Kysely<unknown>): Promise<boolean> {
  const role = sql.id(DB_QUERY_ROLE);
  try {
    await sql`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${sql.lit(DB_QUERY_ROLE)}) THEN
        CREATE ROLE ${role} NOLOGIN;
      END IF;
    END $$`.execute(db);
  } catch (error) {
    if (!ALREADY.has(String((error as { code?: unknown }).code))) {
      throw error;
    }
  }
  await sql`GRANT ${role} TO CURRENT_USER`.execute(db);
  await sql`GRANT USAGE ON SCHEMA public TO ${role}`.execute(db);
  await sql`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`.execute(db);
  await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ${role}`.execute(
    db,
  );
  return true;
}

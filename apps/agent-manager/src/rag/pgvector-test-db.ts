import { createPgliteKysely, type EmbeddedPglite, openPglite } from '@agentplane/backends/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { AnyDb } from './pgvector-schema.js';

// Test-only (PGlite boots in 1–3 s under a loaded parallel run; callers give hooks 60 s): the databases the pgvector store's suites run against.

export interface Opened {
  db: AnyDb;
  close(): Promise<void>;
}

export async function inProcess(): Promise<Opened> {
  const pglite = await openPglite();
  const db = createPgliteKysely<unknown>(pglite) as AnyDb;
  return { db, close: () => db.destroy() };
}

// The same engine over the Postgres wire: proves the SQL and the type parsing hold for the
// `pg` driver that production uses. pglite-socket serves one connection, hence max: 1.
export async function overWire(): Promise<Opened> {
  const pglite: EmbeddedPglite = await openPglite();
  const server = new PGLiteSocketServer({ db: pglite, port: 0, host: '127.0.0.1' });
  await server.start();
  const pool = new pg.Pool({
    connectionString: `postgres://postgres@${server.getServerConn()}/postgres`,
    max: 1,
  });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) }) as AnyDb;
  return {
    db,
    async close() {
      await db.destroy();
      await server.stop();
      await pglite.close();
    },
  };
}

export const VARIANTS = [
  { name: 'pglite in process', open: inProcess },
  { name: 'pglite over the pg wire', open: overWire },
];
